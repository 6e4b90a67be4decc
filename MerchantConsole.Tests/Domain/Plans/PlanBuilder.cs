using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

/// <summary>
/// A plan that passes the dry run: Silver (entry, free signup, invite code, store QR) and Gold (cumulative spend,
/// purchase channel selling a yearly product). Tests break one thing on top of it.
/// </summary>
internal sealed class PlanBuilder
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
    public static readonly Guid MerchantId = Guid.Parse("0b4f6a2e-51f4-4d5e-9f59-3f0c2a51a001");

    private bool _withTemplate = true;
    private bool _withTiers = true;

    public PlanBuilder WithoutTemplate()
    {
        _withTemplate = false;
        return this;
    }

    public PlanBuilder WithoutTiers()
    {
        _withTiers = false;
        return this;
    }

    public MembershipPlan Build()
    {
        var plan = MembershipPlan.Create(MerchantId, "Coffee Club", "Members get a free cup every month.", "CNY", Now);
        if (_withTemplate)
            plan.ChooseCardTemplateVersion(Guid.NewGuid(), Now);
        if (!_withTiers)
            return plan;

        var silver = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, Now);
        plan.AddChannel(silver.Id, JoinChannelType.FreeSignup, null, null, null, Now);
        plan.AddChannel(silver.Id, JoinChannelType.InviteCode, null, "WELCOME-2025", null, Now);
        plan.AddChannel(silver.Id, JoinChannelType.StoreQr, null, null, "SH-001", Now);

        var gold = plan.AddTier("Gold", "#FFD700", UpgradeRule.CumulativeSpend, 100_000, TierValidity.DaysFromJoin, 365, Now);
        var purchase = plan.AddChannel(gold.Id, JoinChannelType.Purchase, null, null, null, Now);
        plan.AddProduct(purchase.Id, "Gold yearly", new Money(19_900, "CNY"), 1, DurationUnit.Years, 500, 1,
            RenewalRule.ManualRenewal, Now);
        return plan;
    }

    /// <summary>The valid plan taken through every activation step.</summary>
    public MembershipPlan BuildActive()
    {
        var plan = Build();
        Activate(plan);
        return plan;
    }

    /// <summary>Runs every plan-side activation step; works for a first activation and for a revision.</summary>
    public static void Activate(MembershipPlan plan)
    {
        plan.BeginActivation(Now);
        plan.MarkProductsPending(Now);
        plan.MarkActive(Now);
        plan.MarkProductsActive(Now);
    }

    public static DryRunContext CleanContext() => new(true, ["OTHER-PLAN"], ["BJ-009"]);
}

internal static class PlanTestExtensions
{
    public static Tier Tier(this MembershipPlan plan, string name) => plan.Tiers.Single(t => t.Name == name);

    public static JoinChannel Channel(this MembershipPlan plan, JoinChannelType type) => plan.Channels.Single(c => c.Type == type);

    public static MembershipProduct Product(this MembershipPlan plan) => plan.Products.Single();

    public static IReadOnlyList<DryRunCode> Codes(this IReadOnlyList<DryRunProblem> problems) => [.. problems.Select(p => p.Code)];

    /// <summary>Stands in for a row edited outside the domain: the aggregate itself never leaves a gap.</summary>
    public static void ForceRank(this Tier tier, int rank) =>
        typeof(Tier).GetProperty(nameof(MerchantConsole.Domain.Plans.Tier.Rank))!.SetValue(tier, rank);
}
