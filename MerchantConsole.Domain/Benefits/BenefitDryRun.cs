using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Domain.Benefits;

/// <summary>The part of a benefit a dry-run problem is about; the wizard maps it to the step where it is fixed.</summary>
public enum BenefitPart
{
    Basics,
    Settings,
}

public sealed record BenefitProblem(Refusal Refusal, BenefitPart Part)
{
    public string Code => Refusal.Code;
    public string Message => Refusal.English;
}

/// <summary>What the dry run needs beyond the benefit: the plan, the chosen template version, the members and the plan's other coupon benefits.</summary>
/// <param name="Members">Active members in the benefit's tiers now.</param>
/// <param name="SameTemplateAndTrigger">Names of the plan's other live or activating benefits that issue the same template version on the same trigger.</param>
public sealed record BenefitDryRunContext(
    MembershipPlan Plan,
    CouponTemplateVersion? TemplateVersion,
    int Members,
    IReadOnlyList<string> SameTemplateAndTrigger,
    DateOnly Today);

/// <summary>
/// The benefit activation as a dry run (ARCHITECTURE.md, "Benefits"): the checks its steps make, done beforehand so
/// the review can say what to fix. Activation is offered only when this finds nothing.
/// </summary>
public static class BenefitDryRun
{
    public static IReadOnlyList<BenefitProblem> Check(Benefit benefit, BenefitVersion version, BenefitDryRunContext context)
    {
        var problems = new List<BenefitProblem>();
        void Add(BenefitPart part, string code, string text, params (string, object?)[] args) => problems.Add(new(Refusal.Of(code, text, args), part));

        if (context.Plan.Status != PlanStatus.Active)
            Add(BenefitPart.Basics, "Benefit.PlanNotActive", "Plan {Plan} is {Status}; benefits are activated on an Active plan.", ("Plan", context.Plan.Name), ("Status", context.Plan.Status));
        if (benefit.TierIds.Any(t => context.Plan.Tiers.All(p => p.Id != t)))
            Add(BenefitPart.Basics, "Benefit.TierNotInPlan", "A chosen tier does not belong to plan {Plan}.", ("Plan", context.Plan.Name));
        if (version.Missing() is { } missing)
            problems.Add(new(missing, BenefitPart.Settings));
        if (version.IssuesCoupons && version.CouponTemplateVersionId is not null)
        {
            if (context.TemplateVersion is not { } template)
                Add(BenefitPart.Settings, "Benefit.TemplateNotFound", "The chosen coupon template version no longer exists.");
            else
            {
                if (template.Status != CouponTemplateVersionStatus.Published)
                    Add(BenefitPart.Settings, "Benefit.TemplateNotPublished", "Coupon template version {Version} is not published.", ("Version", template.Number));
                if (template.ValidityKind == ValidityKind.Fixed && template.ValidUntilDate is { } until && until < context.Today)
                    Add(BenefitPart.Settings, "Benefit.TemplateValidityOver", "Coupons of this template were valid until {Date}; nothing could be redeemed.", ("Date", until));
                var expected = ExpectedIssue(version.Trigger, context.Members);
                if (version.Budget is { } budget && expected is { } need && budget < need)
                    Add(BenefitPart.Settings, "Benefit.BudgetBelowExpected", "The budget of {Budget} coupons is below the {Expected} expected for the current members.", ("Budget", budget), ("Expected", need));
                if (template.TotalStock is { } stock && expected is { } demand && stock - template.Issued < demand)
                    Add(BenefitPart.Settings, "Benefit.StockBelowExpected", "The template has {Left} coupons of stock left, below the {Expected} expected.", ("Left", Math.Max(0, stock - template.Issued)), ("Expected", demand));
            }
            foreach (var other in context.SameTemplateAndTrigger)
                Add(BenefitPart.Settings, "Benefit.SameTemplateAndTrigger", "Benefit {Other} already issues this coupon template on the same trigger.", ("Other", other));
        }
        return problems;
    }

    /// <summary>
    /// Coupons expected in the first month for <paramref name="members"/> current members: one each on join (as the
    /// plan's current members joined), one each a month, a twelfth of them a month on birthdays. Null when it depends on
    /// purchases or grants, which the current members do not predict.
    /// </summary>
    public static int? ExpectedIssue(IssueTrigger? trigger, int members) => trigger switch
    {
        IssueTrigger.OnJoin or IssueTrigger.MonthlyOnDay => members,
        IssueTrigger.OnBirthday => (members + 11) / 12,
        _ => null,
    };

    /// <summary>Coupons one member receives a month by the rule (a one-off on join counts once).</summary>
    public static decimal IssuesPerMemberPerMonth(IssueTrigger? trigger) => trigger switch
    {
        IssueTrigger.OnJoin or IssueTrigger.MonthlyOnDay => 1m,
        IssueTrigger.OnBirthday => 1m / 12,
        _ => 0m,
    };
}

/// <summary>How the value of one redeemed coupon was estimated.</summary>
public enum CouponValueBasis
{
    FaceValue,
    /// <summary>Percent off up to its cap: the cap.</summary>
    PercentCap,
    /// <summary>Percent off without a cap: the percent of the minimum spend.</summary>
    PercentOfMinimumSpend,
    /// <summary>Gift items and free shipping have no value in the terms.</summary>
    NoValue,
}

/// <param name="PerMemberPerMonth">Expected cost of one member a month, in minor units.</param>
/// <param name="ForCurrentMembers">Expected cost a month for the current members, in minor units.</param>
public sealed record CouponCostForecast(Money CouponValue, CouponValueBasis Basis, decimal IssuesPerMemberPerMonth, Money PerMemberPerMonth, Money ForCurrentMembers, int Members);

public static class CouponCostForecasts
{
    /// <summary>Face value (or its estimate) × issues × <paramref name="redemptionRate"/> (0–1), per member and for <paramref name="members"/>.</summary>
    public static CouponCostForecast For(CouponTemplateVersion template, IssueTrigger? trigger, int members, decimal redemptionRate)
    {
        redemptionRate = Math.Clamp(redemptionRate, 0m, 1m);
        var (value, basis) = template.Kind switch
        {
            CouponKind.CashOff => (template.FaceValueMinorUnits ?? 0, CouponValueBasis.FaceValue),
            CouponKind.PercentOff when template.PercentCapMinorUnits is { } cap => (cap, CouponValueBasis.PercentCap),
            CouponKind.PercentOff => (template.MinimumSpendMinorUnits * (template.Percent ?? 0) / 100, CouponValueBasis.PercentOfMinimumSpend),
            _ => (0L, CouponValueBasis.NoValue),
        };
        var issues = BenefitDryRun.IssuesPerMemberPerMonth(trigger);
        var perMember = value * issues * redemptionRate;
        return new CouponCostForecast(new Money(value, template.Currency), basis, issues,
            new Money((long)Math.Round(perMember, MidpointRounding.AwayFromZero), template.Currency),
            new Money((long)Math.Round(perMember * members, MidpointRounding.AwayFromZero), template.Currency), members);
    }
}
