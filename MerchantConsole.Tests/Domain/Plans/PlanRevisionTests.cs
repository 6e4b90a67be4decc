using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

public class PlanRevisionTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;

    [Fact]
    public void ChangingThePriceOfALiveProductWaitsForTheRevision()
    {
        var plan = new PlanBuilder().BuildActive();
        var product = plan.Product();

        plan.ChangeProductPrice(product.Id, new Money(29_900, "CNY"), Now);

        Assert.Equal(new Money(19_900, "CNY"), product.Price);
        Assert.Equal(new Money(29_900, "CNY"), product.PendingPrice);
        Assert.True(plan.HasPendingRevision);
        Assert.True(plan.IsSellable(product.Id));
    }

    [Fact]
    public void PendingPriceIsNotAppliedUntilTheRevisionActivationCompletes()
    {
        var plan = new PlanBuilder().BuildActive();
        var product = plan.Product();
        plan.ChangeProductPrice(product.Id, new Money(29_900, "CNY"), Now);

        plan.BeginActivation(Now);
        plan.MarkProductsPending(Now);
        plan.MarkActive(Now);
        Assert.Equal(19_900, product.PriceMinorUnits);

        plan.MarkProductsActive(Now);

        Assert.Equal(29_900, product.PriceMinorUnits);
        Assert.Null(product.PendingPrice);
        Assert.Equal(2, plan.Revision);
        Assert.False(plan.HasPendingRevision);
        Assert.False(plan.RevisionActivating);
    }

    [Fact]
    public void RollingBackARevisionKeepsTheOldPriceAndThePlanActive()
    {
        var plan = new PlanBuilder().BuildActive();
        var product = plan.Product();
        plan.ChangeProductPrice(product.Id, new Money(29_900, "CNY"), Now);
        plan.BeginActivation(Now);

        plan.RollBackToDraft(Now);

        Assert.Equal(PlanStatus.Active, plan.Status);
        Assert.Equal(19_900, product.PriceMinorUnits);
        Assert.Equal(29_900, product.PendingPriceMinorUnits);
        Assert.True(plan.HasPendingRevision);
        Assert.False(plan.RevisionActivating);
        Assert.True(plan.IsSellable(product.Id));
    }

    [Fact]
    public void ATierAddedToALivePlanIsPendingUntilItsRevisionIsLive()
    {
        var plan = new PlanBuilder().BuildActive();

        var platinum = plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.CumulativeSpend, 500_000, TierValidity.Permanent, null, Now);

        Assert.True(plan.IsPendingRevision(platinum));
        Assert.Equal(3, platinum.Rank);
        PlanBuilder.Activate(plan);
        Assert.False(plan.IsPendingRevision(platinum));
    }

    [Fact]
    public void ANewProductOnALivePlanGoesOnSaleOnlyWithItsRevision()
    {
        var plan = new PlanBuilder().BuildActive();
        var monthly = plan.AddChannel(plan.Tier("Gold").Id, JoinChannelType.Purchase, null, null, null, Now);
        var product = plan.AddProduct(monthly.Id, "Gold monthly", new Money(2_900, "CNY"), 1, DurationUnit.Months, null, null,
            RenewalRule.AutoRenew, Now);

        Assert.Equal(ProductStatus.Draft, product.Status);
        Assert.False(plan.IsSellable(product.Id));

        PlanBuilder.Activate(plan);

        Assert.True(plan.IsSellable(product.Id));
        Assert.Empty(PlanInvariants.Violations(plan));
    }

    [Fact]
    public void ALiveTierKeepsItsRulesOnAnActivePlan()
    {
        var plan = new PlanBuilder().BuildActive();
        var gold = plan.Tier("Gold");

        Assert.Throws<DomainException>(() =>
            plan.SetTierRules(gold.Id, UpgradeRule.CumulativeSpend, 1, TierValidity.Permanent, null, Now));
        Assert.Equal(100_000, gold.Threshold);
    }

    [Fact]
    public void ALiveTierCanBeRenamedImmediately()
    {
        var plan = new PlanBuilder().BuildActive();

        plan.UpdateTierLook(plan.Tier("Gold").Id, "Gold+", "#FFAA00", Now);

        Assert.Equal("#FFAA00", plan.Tier("Gold+").Colour);
        Assert.False(plan.HasPendingRevision);
    }

    [Fact]
    public void ALiveTierCannotBeRemovedOrReordered()
    {
        var plan = new PlanBuilder().BuildActive();

        Assert.Throws<DomainException>(() => plan.RemoveTier(plan.Tier("Silver").Id, Now));
        Assert.Throws<DomainException>(() => plan.MoveTier(plan.Tier("Gold").Id, 1, Now));
        Assert.Equal(1, plan.Tier("Silver").Rank);
    }

    [Fact]
    public void ANewTierCannotBeRankedBelowLiveTiers()
    {
        var plan = new PlanBuilder().BuildActive();
        var bronze = plan.AddTier("Bronze", "#CD7F32", UpgradeRule.None, null, TierValidity.Permanent, null, Now);

        Assert.Throws<DomainException>(() => plan.MoveTier(bronze.Id, 1, Now));
        Assert.Equal(3, bronze.Rank);
    }

    [Fact]
    public void ALiveChannelKeepsItsSettings()
    {
        var plan = new PlanBuilder().BuildActive();
        var invite = plan.Channel(JoinChannelType.InviteCode);

        Assert.Throws<DomainException>(() => plan.ConfigureChannel(invite.Id, null, "NEW-CODE", null, Now));
        Assert.Equal("WELCOME-2025", invite.InviteCode);
    }

    [Fact]
    public void ALiveProductKeepsItsTermsAndCannotBeRemoved()
    {
        var plan = new PlanBuilder().BuildActive();
        var product = plan.Product();

        Assert.Throws<DomainException>(() =>
            plan.UpdateProductTerms(product.Id, "Gold 2y", 2, DurationUnit.Years, RenewalRule.None, Now));
        Assert.Throws<DomainException>(() => plan.RemoveProduct(product.Id, Now));
        Assert.Equal(1, product.DurationAmount);
    }

    [Fact]
    public void ALiveProductCannotChangeCurrency()
    {
        var plan = new PlanBuilder().BuildActive();

        Assert.Throws<DomainException>(() => plan.ChangeProductPrice(plan.Product().Id, new Money(2_900, "USD"), Now));
        Assert.False(plan.HasPendingRevision);
    }

    [Fact]
    public void ANewTemplateVersionForALivePlanWaitsForTheRevision()
    {
        var plan = new PlanBuilder().BuildActive();
        var current = plan.CardTemplateVersionId;
        var next = Guid.NewGuid();

        plan.ChooseCardTemplateVersion(next, Now);
        Assert.Equal(current, plan.CardTemplateVersionId);
        Assert.Equal(next, plan.CardTemplateVersionToActivate);

        PlanBuilder.Activate(plan);

        Assert.Equal(next, plan.CardTemplateVersionId);
        Assert.Null(plan.PendingCardTemplateVersionId);
    }

    [Fact]
    public void DiscardingARevisionRemovesPendingPartsAndLeavesTheLivePlan()
    {
        var plan = new PlanBuilder().BuildActive();
        plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.CumulativeSpend, 500_000, TierValidity.Permanent, null, Now);
        plan.ChangeProductPrice(plan.Product().Id, new Money(29_900, "CNY"), Now);

        plan.DiscardPendingRevision(Now);

        Assert.False(plan.HasPendingRevision);
        Assert.Equal(["Silver", "Gold"], plan.Tiers.Select(t => t.Name));
        Assert.Null(plan.Product().PendingPrice);
        Assert.Equal(19_900, plan.Product().PriceMinorUnits);
    }

    [Fact]
    public void TheDryRunChecksThePendingPrice()
    {
        var plan = new PlanBuilder().BuildActive();
        plan.ChangeProductPrice(plan.Product().Id, new Money(0, "CNY"), Now);

        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());

        Assert.Equal([DryRunCode.ProductPriceNotPositive], problems.Codes());
    }

    [Fact]
    public void TheCurrencyOfALivePlanIsFixed()
    {
        var plan = new PlanBuilder().BuildActive();

        Assert.Throws<DomainException>(() => plan.ChangeCurrency("USD", Now));
        Assert.Equal("CNY", plan.Currency);
    }
}
