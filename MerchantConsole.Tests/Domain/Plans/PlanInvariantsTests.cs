using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

public class PlanInvariantsTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;

    [Fact]
    public void APlanAtEachStageOfItsLifeIsConsistent()
    {
        var plan = new PlanBuilder().Build();
        var stages = new List<IReadOnlyList<string>> { PlanInvariants.Violations(plan) };

        plan.BeginActivation(Now);
        stages.Add(PlanInvariants.Violations(plan));
        plan.MarkProductsPending(Now);
        stages.Add(PlanInvariants.Violations(plan));
        plan.MarkActive(Now);
        stages.Add(PlanInvariants.Violations(plan));
        plan.MarkProductsActive(Now);
        stages.Add(PlanInvariants.Violations(plan));
        plan.Suspend(Now);
        stages.Add(PlanInvariants.Violations(plan));
        plan.Retire(Now);
        stages.Add(PlanInvariants.Violations(plan));

        Assert.All(stages, Assert.Empty);
    }

    [Fact]
    public void ATierRankGapIsAViolation()
    {
        var plan = new PlanBuilder().Build();
        plan.Tier("Gold").ForceRank(5);

        var violation = Assert.Single(PlanInvariants.Violations(plan));

        Assert.Contains("Gold", violation);
    }

    [Fact]
    public void AnActiveProductUnderANonActivePlanIsAViolation()
    {
        var plan = new PlanBuilder().BuildActive();
        var status = typeof(MembershipPlan).GetProperty(nameof(MembershipPlan.Status))!;
        status.SetValue(plan, PlanStatus.Suspended);

        var violation = Assert.Single(PlanInvariants.Violations(plan));

        Assert.Contains("Active product 'Gold yearly' under a Suspended plan", violation);
    }
}
