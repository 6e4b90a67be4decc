using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

public class MembershipPlanEditingTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;

    private static MembershipPlan PlanWithTiers(params string[] names)
    {
        var plan = new PlanBuilder().WithoutTiers().Build();
        foreach (var name in names)
            plan.AddTier(name, "#123456", UpgradeRule.None, null, TierValidity.Permanent, null, Now);
        return plan;
    }

    private static string[] NamesByRank(MembershipPlan plan) =>
        [.. plan.Tiers.Select(t => $"{t.Rank}:{t.Name}")];

    [Fact]
    public void APlanNeedsAName()
    {
        Assert.Throws<DomainException>(() => MembershipPlan.Create(PlanBuilder.MerchantId, " ", null, "CNY", Now));
    }

    [Fact]
    public void APlanNeedsAnIsoCurrency()
    {
        Assert.Throws<DomainException>(() => MembershipPlan.Create(PlanBuilder.MerchantId, "Club", null, "yuan", Now));
    }

    [Fact]
    public void TiersAreRankedInTheOrderTheyAreAdded()
    {
        var plan = PlanWithTiers("Silver", "Gold", "Platinum");

        Assert.Equal(["1:Silver", "2:Gold", "3:Platinum"], NamesByRank(plan));
    }

    [Fact]
    public void RemovingATierClosesTheGapInRanks()
    {
        var plan = PlanWithTiers("Silver", "Gold", "Platinum");

        plan.RemoveTier(plan.Tier("Silver").Id, Now);

        Assert.Equal(["1:Gold", "2:Platinum"], NamesByRank(plan));
    }

    [Fact]
    public void MovingATierShiftsTheOthers()
    {
        var plan = PlanWithTiers("Silver", "Gold", "Platinum");

        plan.MoveTier(plan.Tier("Platinum").Id, 1, Now);

        Assert.Equal(["1:Platinum", "2:Silver", "3:Gold"], NamesByRank(plan));
    }

    [Fact]
    public void MovingATierOutsideTheRanksIsRefused()
    {
        var plan = PlanWithTiers("Silver", "Gold");

        Assert.Throws<DomainException>(() => plan.MoveTier(plan.Tier("Silver").Id, 3, Now));
        Assert.Equal(["1:Silver", "2:Gold"], NamesByRank(plan));
    }

    [Theory]
    [InlineData("gold")]
    [InlineData("#FFD70")]
    [InlineData("FFD700")]
    public void ATierColourMustBeHashRrGgBb(string colour)
    {
        var plan = PlanWithTiers();

        Assert.Throws<DomainException>(() =>
            plan.AddTier("Gold", colour, UpgradeRule.None, null, TierValidity.Permanent, null, Now));
        Assert.Empty(plan.Tiers);
    }

    [Fact]
    public void ATierWhoseRuleUsesNoThresholdRefusesOne()
    {
        var plan = PlanWithTiers();

        var refusal = Assert.Throws<DomainException>(() =>
            plan.AddTier("Gold", "#FFD700", UpgradeRule.PaidOnly, 1000, TierValidity.Permanent, null, Now));

        Assert.Contains("PaidOnly", refusal.Message);
    }

    [Fact]
    public void ATierLastingDaysFromJoinNeedsPositiveDays()
    {
        var plan = PlanWithTiers();

        Assert.Throws<DomainException>(() =>
            plan.AddTier("Gold", "#FFD700", UpgradeRule.None, null, TierValidity.DaysFromJoin, 0, Now));
    }

    [Fact]
    public void OnlyAPurchaseChannelCanSellAProduct()
    {
        var plan = new PlanBuilder().Build();
        var free = plan.Channel(JoinChannelType.FreeSignup);

        Assert.Throws<DomainException>(() => plan.AddProduct(free.Id, "Free", new Money(100, "CNY"), 1, DurationUnit.Months,
            null, null, RenewalRule.None, Now));
        Assert.Null(free.Product);
    }

    [Fact]
    public void APurchaseChannelSellsAtMostOneProduct()
    {
        var plan = new PlanBuilder().Build();
        var purchase = plan.Channel(JoinChannelType.Purchase);

        Assert.Throws<DomainException>(() => plan.AddProduct(purchase.Id, "Second", new Money(100, "CNY"), 1,
            DurationUnit.Months, null, null, RenewalRule.None, Now));
        Assert.Equal("Gold yearly", purchase.Product!.Name);
    }

    [Fact]
    public void AChannelRefusesSettingsOfAnotherChannelType()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() =>
            plan.AddChannel(plan.Tier("Silver").Id, JoinChannelType.FreeSignup, null, "CODE-1", null, Now));
    }

    [Fact]
    public void InviteCodesAreStoredUpperCase()
    {
        var plan = new PlanBuilder().Build();

        var channel = plan.AddChannel(plan.Tier("Silver").Id, JoinChannelType.InviteCode, null, " vip-gold ", null, Now);

        Assert.Equal("VIP-GOLD", channel.InviteCode);
    }

    [Fact]
    public void RemovingATierRemovesItsChannelsAndProducts()
    {
        var plan = new PlanBuilder().Build();

        plan.RemoveTier(plan.Tier("Gold").Id, Now);

        Assert.Empty(plan.Products);
        Assert.DoesNotContain(plan.Channels, c => c.Type == JoinChannelType.Purchase);
    }

    [Fact]
    public void ANegativePriceIsRefused()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() => plan.ChangeProductPrice(plan.Product().Id, new Money(-1, "CNY"), Now));
        Assert.Equal(19_900, plan.Product().PriceMinorUnits);
    }

    [Fact]
    public void AFixedDaysValidityNeedsPositiveDays()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() => plan.SetValidity(ValidityPolicy.FixedDays, 0, null, Now));
        plan.SetValidity(ValidityPolicy.FixedDays, 30, null, Now);

        Assert.Equal(ValidityPolicy.FixedDays, plan.ValidityPolicy);
        Assert.Equal(30, plan.ValidityDays);
    }

    [Fact]
    public void AnUntilDateValidityCannotEndInThePast()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() =>
            plan.SetValidity(ValidityPolicy.UntilDate, null, DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1), Now));
        Assert.Equal(ValidityPolicy.Permanent, plan.ValidityPolicy);
    }

    [Fact]
    public void EditingStructureWhileActivatingIsRefused()
    {
        var plan = new PlanBuilder().Build();
        plan.BeginActivation(Now);

        Assert.Throws<DomainException>(() =>
            plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.None, null, TierValidity.Permanent, null, Now));
        Assert.Equal(2, plan.Tiers.Count);
    }

    [Fact]
    public void ASuspendedPlanMustBeResumedBeforeItsStructureChanges()
    {
        var plan = new PlanBuilder().BuildActive();
        plan.Suspend(Now);

        var refusal = Assert.Throws<DomainException>(() =>
            plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.None, null, TierValidity.Permanent, null, Now));

        Assert.Contains("resume", refusal.Message);
    }

    [Fact]
    public void EditsStampUpdatedAt()
    {
        var plan = new PlanBuilder().Build();
        var later = Now.AddHours(1);

        plan.UpdateBasics("Tea Club", "  ", later);

        Assert.Equal(later, plan.UpdatedAt);
        Assert.Equal("Tea Club", plan.Name);
        Assert.Null(plan.Description);
    }
}
