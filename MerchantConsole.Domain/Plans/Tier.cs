using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>A level inside a plan (会员等级). Rank 1 is the entry tier. Changed only through its plan.</summary>
public sealed class Tier : IPlanPart
{
    public const int MaxNameLength = 50;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);

    private readonly List<JoinChannel> _joinChannels = [];

    public Guid Id { get; private set; }
    public int Rank { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Display colour, <c>#RRGGBB</c>.</summary>
    public string Colour { get; private set; } = "#000000";
    public UpgradeRule UpgradeRule { get; private set; }
    /// <summary>Minor units for <see cref="UpgradeRule.CumulativeSpend"/>, a points count for <see cref="UpgradeRule.Points"/>.</summary>
    public long? Threshold { get; private set; }
    public TierValidity Validity { get; private set; }
    public int? ValidityDays { get; private set; }
    public int Revision { get; private set; }
    public IReadOnlyList<JoinChannel> JoinChannels => _joinChannels;

    public bool UsesThreshold => UsesThresholdRule(UpgradeRule);

    private Tier() { }

    internal static Tier Create(int rank, int revision, string name, string colour)
    {
        var tier = new Tier { Id = Guid.NewGuid(), Rank = rank, Revision = revision };
        tier.SetLook(name, colour);
        return tier;
    }

    internal static bool UsesThresholdRule(UpgradeRule rule) => rule is UpgradeRule.CumulativeSpend or UpgradeRule.Points;

    // A blank name is accepted: the wizard saves half-finished drafts, and the dry run lists every gap at once.
    internal void SetLook(string name, string colour)
    {
        name = name.Trim();
        NameLimit.Enforce(name, "TierName", "A tier name");
        var normalised = HexColor.Normalise(colour);
        Name = name;
        Colour = normalised;
    }

    internal void SetRules(UpgradeRule rule, long? threshold, TierValidity validity, int? validityDays)
    {
        if (threshold is < 0)
            throw new DomainException("Tier.ThresholdNegative", "A tier threshold cannot be negative.");
        if (threshold is not null && !UsesThresholdRule(rule))
            throw new DomainException("Tier.ThresholdNotTaken", "A tier upgraded by {Rule} takes no threshold.", ("Rule", rule));
        if (validity == TierValidity.DaysFromJoin && validityDays is not > 0)
            throw new DomainException("Tier.ValidityDaysRequired", "A tier that lasts a number of days from joining needs a positive number of days.");
        if (validity == TierValidity.Permanent && validityDays is not null)
            throw new DomainException("Tier.ValidityDaysNotTaken", "A permanent tier takes no number of days.");
        UpgradeRule = rule;
        Threshold = threshold;
        Validity = validity;
        ValidityDays = validityDays;
    }

    internal void SetRank(int rank) => Rank = rank;

    internal JoinChannel AddChannel(JoinChannel channel)
    {
        _joinChannels.Add(channel);
        return channel;
    }

    internal void RemoveChannel(JoinChannel channel) => _joinChannels.Remove(channel);
}
