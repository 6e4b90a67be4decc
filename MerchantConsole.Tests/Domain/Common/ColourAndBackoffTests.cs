using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Common;

public sealed class ColourAndBackoffTests
{
    [Theory]
    [InlineData("#ffd700", true)]
    [InlineData("#FFD700", true)]
    [InlineData("#FFD70", false)]
    [InlineData("FFD700", false)]
    [InlineData("#GGD700", false)]
    [InlineData("#FFD700\n", false)]
    [InlineData(null, false)]
    public void ATierColourFollowsTheSameRuleAsADesignColour(string? colour, bool valid)
    {
        var plan = MembershipPlan.Create(PlanBuilder.MerchantId, "Gold club", null, "CNY", PlanBuilder.Now);

        var refusal = Record.Exception(() => plan.AddTier("Gold", colour!, UpgradeRule.None, null, TierValidity.Permanent, null, PlanBuilder.Now));

        Assert.Equal(valid, HexColor.IsValid(colour));
        if (valid)
            Assert.Null(refusal);
        else
            Assert.Equal("Colour.Invalid", Assert.IsType<DomainException>(refusal).Refusal.Code);
    }

    [Fact]
    public void ATierColourIsStoredInUpperCase()
    {
        var plan = MembershipPlan.Create(PlanBuilder.MerchantId, "Gold club", null, "CNY", PlanBuilder.Now);

        var tier = plan.AddTier("Gold", "#ffd700", UpgradeRule.None, null, TierValidity.Permanent, null, PlanBuilder.Now);

        Assert.Equal("#FFD700", tier.Colour);
    }

    [Fact]
    public void BackoffDoublesFromTheBaseDelayAndStopsAtTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

        Assert.Equal([2, 2, 4, 8, 16, 30, 30], new[] { 0, 1, 2, 3, 4, 5, 10_000 }.Select(n => backoff.DelayAfter(n).TotalSeconds));
    }

    [Fact]
    public void AnActivationStepWaitsAsTheSameBackoffSays()
    {
        var policy = new StepRetryPolicy(5, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));

        Assert.All(Enumerable.Range(0, 12), n => Assert.Equal(backoff.DelayAfter(n), policy.DelayAfter(n)));
    }

    [Fact]
    public void ABackoffWhoseMaximumIsBelowItsBaseIsRefused()
    {
        var refusal = Assert.Throws<DomainException>(() => new Backoff(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1)));

        Assert.Equal("RetryPolicy.DelayInvalid", refusal.Refusal.Code);
    }
}
