using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Feed;

/// <summary>
/// One row of the activity feed (活动聚合): an effective activity of a benefit, for one tier of a plan
/// (<see cref="TierId"/> <see cref="Guid.Empty"/>: every tier). A read model written only from messages
/// (ARCHITECTURE.md, "Activity feed"); rebuilt from scratch by replaying them, so it is a figure, not audited.
/// </summary>
public sealed class ActivityFeedEntry : IMerchantOwned, INotAudited
{
    public const int SummaryMaxLength = 1000;

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid PlanId { get; private set; }
    public Guid TierId { get; private set; }
    public Guid ActivityId { get; private set; }
    public Guid BenefitId { get; private set; }
    public Guid BenefitVersionId { get; private set; }
    public int VersionNumber { get; private set; }
    public BenefitKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset? EndsAt { get; private set; }
    /// <summary>The <see cref="BenefitSummary"/> as JSON.</summary>
    public string Summary { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    private ActivityFeedEntry() { }

    public static ActivityFeedEntry For(Guid merchantId, ActivityEffective message, Guid tierId, string summary, DateTimeOffset at)
    {
        var entry = new ActivityFeedEntry { Id = Guid.NewGuid(), MerchantId = merchantId, ActivityId = message.ActivityId, TierId = tierId };
        entry.Refresh(message, summary, at);
        return entry;
    }

    /// <summary>What the latest ActivityEffective of this activity says.</summary>
    public void Refresh(ActivityEffective message, string summary, DateTimeOffset at)
    {
        PlanId = message.PlanId;
        BenefitId = message.BenefitId;
        BenefitVersionId = message.BenefitVersionId;
        VersionNumber = message.VersionNumber;
        Kind = message.Kind;
        Name = TextLength.Clip(message.Name, Benefit.NameLimit.MaxUtf16);
        StartsAt = message.StartsAt;
        EndsAt = message.EndsAt;
        Summary = TextLength.Clip(summary, SummaryMaxLength);
        UpdatedAt = at;
    }
}
