using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Domain.Members;

/// <summary>How a staff override decides a membership's tier (see <see cref="Membership.TierOf"/>).</summary>
public enum TierOverrideKind
{
    /// <summary>Exactly this tier, whatever spend earns.</summary>
    Pin,
    /// <summary>At least this tier: spend can still raise the member above it.</summary>
    Floor,
    /// <summary>This tier until a date, then back to what spend earns.</summary>
    Temporary,
}

/// <summary>Why a membership's tier was looked at again: one row of its tier history (<see cref="TierChange"/>).</summary>
public enum TierChangeReason
{
    OverrideSet,
    OverrideCleared,
    OverrideLapsed,
    Recalculated,
}

/// <summary>A live tier of a plan as tier rules see it: its rank and what earns it.</summary>
public sealed record TierRung(Guid TierId, int Rank, UpgradeRule Rule, long? Threshold);

/// <summary>
/// The live tiers of one plan, ranked. Spend earns a <see cref="UpgradeRule.CumulativeSpend"/> tier once it reaches the
/// tier's threshold; members hold no points balance yet, so a <see cref="UpgradeRule.Points"/> tier is reached only by
/// joining it or by a staff override.
/// </summary>
public sealed class TierLadder
{
    private readonly Dictionary<Guid, TierRung> _rungs;

    public TierLadder(Guid planId, IEnumerable<TierRung> rungs)
    {
        PlanId = planId;
        _rungs = rungs.ToDictionary(r => r.TierId);
    }

    public Guid PlanId { get; }

    public IEnumerable<TierRung> Rungs => _rungs.Values.OrderBy(r => r.Rank);

    /// <summary>Whether any tier is earned by spend, so recalculating members of this plan can change anything.</summary>
    public bool EarnsBySpend => _rungs.Values.Any(r => r.Rule == UpgradeRule.CumulativeSpend && r.Threshold is not null);

    public static TierLadder Of(MembershipPlan plan) =>
        new(plan.Id, plan.Tiers.Where(t => !plan.IsPendingRevision(t)).Select(t => new TierRung(t.Id, t.Rank, t.UpgradeRule, t.Threshold)));

    public bool Contains(Guid tierId) => _rungs.ContainsKey(tierId);

    /// <summary>The higher-ranked of two tiers; a tier the ladder does not know (retired since) ranks below every live one.</summary>
    public Guid Higher(Guid a, Guid b) => RankOf(b) > RankOf(a) ? b : a;

    /// <summary>The highest tier <paramref name="spendMinorUnits"/> reaches, never below <paramref name="current"/>.</summary>
    public Guid EarnedBySpend(Guid current, long spendMinorUnits)
    {
        var earned = current;
        foreach (var rung in _rungs.Values)
            if (rung.Rule == UpgradeRule.CumulativeSpend && rung.Threshold is { } threshold && spendMinorUnits >= threshold)
                earned = Higher(earned, rung.TierId);
        return earned;
    }

    private int RankOf(Guid tierId) => _rungs.TryGetValue(tierId, out var rung) ? rung.Rank : int.MinValue;
}

/// <summary>
/// One row of a membership's tier history: from which tier to which, why, who and when, and the override it was about.
/// Written in the same save as the membership's change; never changed afterwards.
/// </summary>
public sealed class TierChange : IMerchantOwned, INotAudited
{
    public const int MaxNoteLength = 200;
    public static readonly TextLimit NoteLimit = TextLimit.Of(MaxNoteLength);
    public const int MaxByLength = 256;

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid MembershipId { get; private set; }
    public Guid FromTierId { get; private set; }
    public Guid ToTierId { get; private set; }
    public TierChangeReason Reason { get; private set; }
    public TierOverrideKind? OverrideKind { get; private set; }
    /// <summary>The override's tier (for a floor or a pin it need not be the tier the member ends up in).</summary>
    public Guid? OverrideTierId { get; private set; }
    public DateTimeOffset? OverrideUntil { get; private set; }
    /// <summary>The staff's reason for an override; empty for what rules did.</summary>
    public string? Note { get; private set; }
    public string By { get; private set; } = "";
    public DateTimeOffset At { get; private set; }

    private TierChange() { }

    internal static TierChange Of(Membership membership, Guid from, TierChangeReason reason, TierOverrideKind? kind, Guid? overrideTierId,
        DateTimeOffset? until, string? note, string by, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        MerchantId = membership.MerchantId,
        MembershipId = membership.Id,
        FromTierId = from,
        ToTierId = membership.TierId,
        Reason = reason,
        OverrideKind = kind,
        OverrideTierId = overrideTierId,
        OverrideUntil = until,
        Note = note,
        By = by.Length > MaxByLength ? by[..MaxByLength] : by,
        At = at,
    };
}

/// <summary>
/// How many memberships a merchant has per plan, tier and status: the member list's totals without counting a million
/// rows. Maintained by the database itself (triggers on Memberships, see ARCHITECTURE.md, Members), so every path that
/// writes memberships, bulk writers included, keeps it true. Never written by the application.
/// </summary>
public sealed class MemberCount : IMerchantOwned, INotAudited
{
    public Guid MerchantId { get; private set; }
    public Guid PlanId { get; private set; }
    public Guid TierId { get; private set; }
    public MembershipStatus Status { get; private set; }
    public long Count { get; private set; }

    private MemberCount() { }
}
