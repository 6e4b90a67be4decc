using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

public class MembershipPlanLifecycleTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;

    [Fact]
    public void ANewPlanIsADraftAtRevisionOne()
    {
        var plan = new PlanBuilder().Build();

        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Equal(1, plan.Revision);
        Assert.Equal(ProductStatus.Draft, plan.Product().Status);
        Assert.False(plan.HasPendingRevision);
    }

    [Fact]
    public void ActivationStepsTakeThePlanAndItsProductsLiveInOrder()
    {
        var plan = new PlanBuilder().Build();

        plan.BeginActivation(Now);
        Assert.Equal(PlanStatus.Activating, plan.Status);
        plan.MarkProductsPending(Now);
        Assert.Equal(ProductStatus.Pending, plan.Product().Status);
        plan.MarkActive(Now);
        Assert.Equal(PlanStatus.Active, plan.Status);
        Assert.Equal(ProductStatus.Pending, plan.Product().Status);
        plan.MarkProductsActive(Now);

        Assert.Equal(ProductStatus.Active, plan.Product().Status);
        Assert.True(plan.IsSellable(plan.Product().Id));
        Assert.Empty(PlanInvariants.Violations(plan));
    }

    [Fact]
    public void ProductCannotBecomeActiveWhilePlanIsNotActive()
    {
        var plan = new PlanBuilder().Build();
        plan.BeginActivation(Now);
        plan.MarkProductsPending(Now);

        var refusal = Assert.Throws<DomainException>(() => plan.MarkProductsActive(Now));

        Assert.Contains("Activating", refusal.Message);
        Assert.Equal(ProductStatus.Pending, plan.Product().Status);
    }

    [Fact]
    public void ADraftPlanCannotBecomeActiveWithoutStartingAnActivation()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() => plan.MarkActive(Now));
        Assert.Equal(PlanStatus.Draft, plan.Status);
    }

    [Fact]
    public void ProductsAreReadiedOnlyDuringAnActivation()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() => plan.MarkProductsPending(Now));
        Assert.Equal(ProductStatus.Draft, plan.Product().Status);
    }

    [Fact]
    public void RepeatingAStepThatAlreadySucceededChangesNothing()
    {
        var plan = new PlanBuilder().BuildActive();

        plan.MarkActive(Now.AddMinutes(5));
        plan.MarkProductsActive(Now.AddMinutes(5));

        Assert.Equal(PlanStatus.Active, plan.Status);
        Assert.Equal(ProductStatus.Active, plan.Product().Status);
        Assert.Equal(1, plan.Revision);
    }

    [Fact]
    public void RollingBackAnActivationReturnsPlanAndProductsToDraft()
    {
        var plan = new PlanBuilder().Build();
        plan.BeginActivation(Now);
        plan.MarkProductsPending(Now);

        plan.RollBackToDraft(Now);

        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Equal(ProductStatus.Draft, plan.Product().Status);
        Assert.Empty(PlanInvariants.Violations(plan));
    }

    [Fact]
    public void ALivePlanCannotBeRolledBackToDraft()
    {
        var plan = new PlanBuilder().BuildActive();

        Assert.Throws<DomainException>(() => plan.RollBackToDraft(Now));
        Assert.Equal(PlanStatus.Active, plan.Status);
    }

    [Fact]
    public void APlanAlreadyActivatingCannotBeginAnotherActivation()
    {
        var plan = new PlanBuilder().Build();
        plan.BeginActivation(Now);

        Assert.Throws<DomainException>(() => plan.BeginActivation(Now));
    }

    [Fact]
    public void AnActivePlanWithoutChangesHasNothingToActivate()
    {
        var plan = new PlanBuilder().BuildActive();

        var refusal = Assert.Throws<DomainException>(() => plan.BeginActivation(Now));

        Assert.Contains("no changes", refusal.Message);
    }

    [Fact]
    public void SuspendingTakesProductsOffSaleBeforeThePlan()
    {
        var plan = new PlanBuilder().BuildActive();

        plan.Suspend(Now);

        Assert.Equal(PlanStatus.Suspended, plan.Status);
        Assert.Equal(ProductStatus.Inactive, plan.Product().Status);
        Assert.False(plan.IsSellable(plan.Product().Id));
        Assert.Empty(PlanInvariants.Violations(plan));
    }

    [Fact]
    public void ADraftPlanCannotBeSuspended()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() => plan.Suspend(Now));
        Assert.Equal(PlanStatus.Draft, plan.Status);
    }

    [Fact]
    public void ResumingMakesThePlanActiveAndProductsPendingUntilTheyAreActivated()
    {
        var plan = new PlanBuilder().BuildActive();
        plan.Suspend(Now);

        plan.Resume(Now);

        Assert.Equal(PlanStatus.Active, plan.Status);
        Assert.Equal(ProductStatus.Pending, plan.Product().Status);
        Assert.False(plan.IsSellable(plan.Product().Id));

        plan.MarkProductsActive(Now);

        Assert.True(plan.IsSellable(plan.Product().Id));
    }

    [Fact]
    public void OnlyASuspendedPlanCanBeResumed()
    {
        var plan = new PlanBuilder().BuildActive();

        Assert.Throws<DomainException>(() => plan.Resume(Now));
    }

    [Fact]
    public void APlanCannotBeSuspendedWhileItsProductsAreStillComingOnSale()
    {
        var plan = new PlanBuilder().Build();
        plan.BeginActivation(Now);
        plan.MarkProductsPending(Now);
        plan.MarkActive(Now);

        Assert.Throws<DomainException>(() => plan.Suspend(Now));
        Assert.Equal(PlanStatus.Active, plan.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RetiringTakesProductsOffSaleAndIsFinal(bool suspendFirst)
    {
        var plan = new PlanBuilder().BuildActive();
        if (suspendFirst)
            plan.Suspend(Now);

        plan.Retire(Now);

        Assert.Equal(PlanStatus.Retired, plan.Status);
        Assert.Equal(ProductStatus.Inactive, plan.Product().Status);
        Assert.Throws<DomainException>(() => plan.Resume(Now));
        Assert.Throws<DomainException>(() => plan.BeginActivation(Now));
        Assert.Throws<DomainException>(() => plan.UpdateBasics("New name", null, Now));
    }

    [Fact]
    public void ADraftPlanCannotBeRetired()
    {
        var plan = new PlanBuilder().Build();

        Assert.Throws<DomainException>(() => plan.Retire(Now));
    }

    [Fact]
    public void AProductOfADisabledChannelIsNotSellable()
    {
        var plan = new PlanBuilder().BuildActive();

        plan.SetChannelEnabled(plan.Channel(JoinChannelType.Purchase).Id, false, Now);

        Assert.False(plan.IsSellable(plan.Product().Id));
    }

    [Fact]
    public void AProductOutOfStockIsNotSellable()
    {
        var plan = new PlanBuilder().BuildActive();

        plan.SetProductLimits(plan.Product().Id, 0, 1, Now);

        Assert.False(plan.IsSellable(plan.Product().Id));
    }

    [Fact]
    public void AnActivatedProductBecomesSellableOnlyWithItsPlan()
    {
        var plan = new PlanBuilder().Build();

        Assert.False(plan.IsSellable(plan.Product().Id));
        PlanBuilder.Activate(plan);
        Assert.True(plan.IsSellable(plan.Product().Id));
    }
}
