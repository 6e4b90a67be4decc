using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Workflows;

namespace MerchantConsole.Domain.Benefits;

/// <summary>The steps of a benefit activation, in run order (the seed's 商户端创建权益).</summary>
public static class BenefitStepName
{
    /// <summary>Creates the activity named after the benefit, or takes the chosen one; its id is the step's output.</summary>
    public const string CreateActivity = nameof(CreateActivity);
    /// <summary>Reads the plan: it must be Active and the benefit's tiers must belong to it.</summary>
    public const string ReadPlan = nameof(ReadPlan);
    /// <summary>The coupon template version: must be published and still valid (pinned as the step's output).</summary>
    public const string CouponTemplate = nameof(CouponTemplate);
    /// <summary>Adds the coupon activity (Pending) to the activity; its id is the step's output.</summary>
    public const string CouponActivity = nameof(CouponActivity);
    /// <summary>The activity becomes Effective (its coupon activity stays Pending), saved with the ActivityEffective message.</summary>
    public const string ActivityEffective = nameof(ActivityEffective);
    /// <summary>On ActivityEffective: the version is Active and its coupon activity Effective, in one save.</summary>
    public const string Bind = nameof(Bind);

    public static IReadOnlyList<string> All { get; } = [CreateActivity, ReadPlan, CouponTemplate, CouponActivity, ActivityEffective, Bind];
    public static IReadOnlyList<string> CouponSteps { get; } = [CouponTemplate, CouponActivity];
}

/// <summary>Benefit activation as a workflow run (kind <see cref="Kind"/>, subject the benefit, variant its kind, revision the version number).</summary>
public static class BenefitActivation
{
    public const string Kind = "BenefitActivation";

    public static IReadOnlyList<WorkflowStepSpec> AllSteps { get; } = [.. BenefitStepName.All.Select(name => new WorkflowStepSpec(name))];

    /// <summary>The steps a version of <paramref name="kind"/> runs: benefits without coupons skip the coupon steps.</summary>
    public static IReadOnlyList<WorkflowStepSpec> StepsFor(BenefitKind kind) =>
        kind == BenefitKind.Coupon ? AllSteps : [.. AllSteps.Where(s => !BenefitStepName.CouponSteps.Contains(s.Name))];

    /// <summary>Begins the activation of the benefit's draft and records the run that drives it (save both together).</summary>
    public static WorkflowRun Start(Benefit benefit, string requestedBy, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(requestedBy))
            throw new DomainException("Run.ActorRequired", "Record who is acting on the run.");
        var version = benefit.BeginActivation(requestedBy, now);
        var run = WorkflowRun.Start(Kind, benefit.MerchantId, benefit.Id, benefit.Name, StepsFor(version.Kind), requestedBy, now,
            version.Kind.ToString(), version.Number);
        version.RecordRun(run.Id);
        return run;
    }
}

/// <summary>
/// An activity became effective for a benefit version. Everything the activity feed shows is in the message, so the
/// feed is built from messages alone (ARCHITECTURE.md, "Activity feed"). <paramref name="TierIds"/> empty: every tier.
/// </summary>
public sealed record ActivityEffective(
    Guid ActivityId,
    Guid PlanId,
    Guid BenefitId,
    Guid BenefitVersionId,
    int VersionNumber,
    IReadOnlyList<Guid> TierIds,
    BenefitKind Kind,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    BenefitSummary Summary,
    Guid? RunId);

/// <summary>A benefit version's activity no longer applies (superseded, retired, or its activity ended).</summary>
public sealed record ActivityEnded(Guid ActivityId, Guid PlanId, Guid BenefitVersionId, DateTimeOffset EndedAt);

/// <summary>What customers are told the benefit gives, in parts a storefront words in its language.</summary>
public sealed record BenefitSummary(
    int? DiscountPercent = null,
    decimal? PointsFactor = null,
    string? CustomText = null,
    CouponKind? CouponKind = null,
    long? CouponValueMinorUnits = null,
    int? CouponPercent = null,
    long? MinimumSpendMinorUnits = null,
    string? Currency = null,
    IssueTrigger? Trigger = null,
    int? DayOfMonth = null)
{
    public static BenefitSummary Of(BenefitVersion version, CouponTemplateVersion? template) => version.Kind switch
    {
        BenefitKind.Discount => new(DiscountPercent: version.DiscountPercent),
        BenefitKind.PointsMultiplier => new(PointsFactor: version.PointsFactor),
        BenefitKind.Custom => new(CustomText: version.CustomText),
        BenefitKind.Coupon when template is not null => new(CouponKind: template.Kind,
            CouponValueMinorUnits: template.Kind == Coupons.CouponKind.PercentOff ? template.PercentCapMinorUnits : template.FaceValueMinorUnits,
            CouponPercent: template.Percent, MinimumSpendMinorUnits: template.MinimumSpendMinorUnits, Currency: template.Currency,
            Trigger: version.Trigger, DayOfMonth: version.DayOfMonth),
        _ => new(),
    };
}
