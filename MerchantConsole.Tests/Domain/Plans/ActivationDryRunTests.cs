using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

public class ActivationDryRunTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;

    [Fact]
    public void AValidPlanHasNoProblems()
    {
        var plan = new PlanBuilder().Build();

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Empty(problems);
    }

    [Fact]
    public void APlanWithoutTemplateVersionIsAProblemWithTheBasics()
    {
        var plan = new PlanBuilder().WithoutTemplate().Build();

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.TemplateVersionMissing, problem.Code);
        Assert.Equal(new DryRunTarget(PlanPart.Basics, plan.Id), problem.Target);
    }

    [Fact]
    public void AnUnpublishedTemplateVersionIsReported()
    {
        var plan = new PlanBuilder().Build();

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext() with { TemplateVersionPublished = false });

        Assert.Equal([DryRunCode.TemplateVersionNotPublished], problems.Codes());
    }

    [Fact]
    public void ActivatingAPlanWithoutTiersIsRefused()
    {
        var plan = new PlanBuilder().WithoutTiers().Build();

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        var problem = Assert.Single(problems);
        Assert.Equal(DryRunCode.NoTiers, problem.Code);
        Assert.Equal(PlanPart.Tiers, problem.Target.Part);
    }

    [Fact]
    public void RanksWithAGapAreReported()
    {
        var plan = new PlanBuilder().Build();
        plan.Tier("Gold").ForceRank(3);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.RanksNotContiguous, problem.Code);
        Assert.Equal(plan.Tier("Gold").Id, problem.Target.EntityId);
    }

    [Fact]
    public void ATierWithoutNameIsReported()
    {
        var plan = new PlanBuilder().Build();
        var unnamed = plan.AddTier("  ", "#000000", UpgradeRule.PaidOnly, null, TierValidity.Permanent, null, Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.TierNameMissing, problem.Code);
        Assert.Equal(new DryRunTarget(PlanPart.Tiers, unnamed.Id), problem.Target);
    }

    [Fact]
    public void TwoTiersWithTheSameNameIgnoringCaseAreReported()
    {
        var plan = new PlanBuilder().Build();
        var duplicate = plan.AddTier("GOLD", "#000000", UpgradeRule.PaidOnly, null, TierValidity.Permanent, null, Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.TierNameDuplicated, problem.Code);
        Assert.Equal(duplicate.Id, problem.Target.EntityId);
    }

    [Fact]
    public void ASpendTierWithoutThresholdIsReported()
    {
        var plan = new PlanBuilder().Build();
        plan.SetTierRules(plan.Tier("Gold").Id, UpgradeRule.CumulativeSpend, null, TierValidity.Permanent, null, Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.TierThresholdMissing], problems.Codes());
    }

    [Fact]
    public void AHigherTierWithALowerThresholdIsReported()
    {
        var plan = new PlanBuilder().Build();
        var platinum = plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.CumulativeSpend, 100_000, TierValidity.Permanent, null, Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.TierThresholdNotIncreasing, problem.Code);
        Assert.Equal(platinum.Id, problem.Target.EntityId);
    }

    [Fact]
    public void SpendAndPointsThresholdsAreNotComparedWithEachOther()
    {
        var plan = new PlanBuilder().Build();
        plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.Points, 500, TierValidity.Permanent, null, Now);

        Assert.Empty(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));
    }

    [Fact]
    public void APurchaseChannelWithoutProductIsAProblemWithThatChannel()
    {
        var plan = new PlanBuilder().Build();
        var channel = plan.AddChannel(plan.Tier("Gold").Id, JoinChannelType.Purchase, null, null, null, Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.PurchaseChannelWithoutProduct, problem.Code);
        Assert.Equal(new DryRunTarget(PlanPart.Channels, channel.Id), problem.Target);
    }

    [Fact]
    public void AFreeProductIsReported()
    {
        var plan = new PlanBuilder().Build();
        plan.ChangeProductPrice(plan.Product().Id, new Money(0, "CNY"), Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.ProductPriceNotPositive, problem.Code);
        Assert.Equal(new DryRunTarget(PlanPart.Products, plan.Product().Id), problem.Target);
    }

    [Fact]
    public void AProductPricedInAnotherCurrencyIsReported()
    {
        var plan = new PlanBuilder().Build();
        plan.ChangeCurrency("USD", Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.ProductCurrencyMismatch], problems.Codes());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void ASpendThresholdChannelNeedsAPositiveThreshold(long? threshold)
    {
        var plan = new PlanBuilder().Build();
        plan.AddChannel(plan.Tier("Gold").Id, JoinChannelType.SpendThreshold, threshold, null, null, Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.SpendThresholdMissing], problems.Codes());
    }

    [Fact]
    public void AnInviteCodeChannelWithoutCodeIsReported()
    {
        var plan = new PlanBuilder().Build();
        plan.ConfigureChannel(plan.Channel(JoinChannelType.InviteCode).Id, null, " ", null, Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.InviteCodeMissing], problems.Codes());
    }

    [Fact]
    public void AStoreQrChannelWithoutStoreIsReported()
    {
        var plan = new PlanBuilder().Build();
        plan.ConfigureChannel(plan.Channel(JoinChannelType.StoreQr).Id, null, null, null, Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.StoreCodeMissing], problems.Codes());
    }

    [Fact]
    public void AnInviteCodeUsedTwiceInThePlanIsReported()
    {
        var plan = new PlanBuilder().Build();
        var second = plan.AddChannel(plan.Tier("Gold").Id, JoinChannelType.InviteCode, null, "welcome-2025", null, Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(DryRunCode.InviteCodeDuplicated, problem.Code);
        Assert.Equal(second.Id, problem.Target.EntityId);
    }

    [Fact]
    public void AnInviteCodeClaimedByAnotherPlanIsReportedWhateverItsCase()
    {
        var plan = new PlanBuilder().Build();

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext() with { InviteCodesOfOtherPlans = ["welcome-2025"] });

        Assert.Equal([DryRunCode.InviteCodeClaimedByOtherPlan], problems.Codes());
    }

    [Fact]
    public void AStoreWithTwoQrChannelsInThePlanIsReported()
    {
        var plan = new PlanBuilder().Build();
        plan.AddChannel(plan.Tier("Gold").Id, JoinChannelType.StoreQr, null, null, "SH-001", Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.StoreCodeDuplicated], problems.Codes());
    }

    [Fact]
    public void AStoreQrClaimedByAnotherPlanIsReported()
    {
        var plan = new PlanBuilder().Build();

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext() with { StoreCodesOfOtherPlans = ["SH-001"] });

        Assert.Equal([DryRunCode.StoreCodeClaimedByOtherPlan], problems.Codes());
    }

    [Fact]
    public void DisabledChannelsAreCheckedToo()
    {
        var plan = new PlanBuilder().Build();
        var channel = plan.Channel(JoinChannelType.StoreQr);
        plan.ConfigureChannel(channel.Id, null, null, null, Now);
        plan.SetChannelEnabled(channel.Id, false, Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.StoreCodeMissing], problems.Codes());
    }

    [Fact]
    public void EveryProblemIsReportedNotJustTheFirst()
    {
        var plan = new PlanBuilder().WithoutTemplate().Build();
        plan.ChangeProductPrice(plan.Product().Id, new Money(0, "CNY"), Now);
        plan.AddTier("Silver", "#000000", UpgradeRule.None, null, TierValidity.Permanent, null, Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal(
            [DryRunCode.TemplateVersionMissing, DryRunCode.TierNameDuplicated, DryRunCode.ProductPriceNotPositive],
            problems.Codes());
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }
}
