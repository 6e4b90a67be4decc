using Bunit;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Tests.Domain.Plans;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Plans;

public sealed class PlanReviewStepTests : MudBunitContext
{
    [Fact]
    public void AFailingDryRunListsEveryProblemWithALinkToItsStepAndEntityAndActivateIsDisabled()
    {
        var plan = new PlanBuilder().WithoutTemplate().Build();
        var unnamed = plan.AddTier("", "#336699", UpgradeRule.None, null, TierValidity.Permanent, null, PlanBuilder.Now);
        var purchase = plan.AddChannel(plan.Tier("Silver").Id, JoinChannelType.Purchase, null, null, null, PlanBuilder.Now);
        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());
        var activated = false;

        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, plan.Id)
            .Add(x => x.Problems, problems)
            .Add(x => x.CanActivate, true)
            .Add(x => x.OnActivate, () => activated = true));

        var items = cut.FindAll("[data-testid=dry-run-problem]");
        Assert.Equal(3, items.Count);
        Assert.Equal(
            [nameof(DryRunCode.TemplateVersionMissing), nameof(DryRunCode.TierNameMissing), nameof(DryRunCode.PurchaseChannelWithoutProduct)],
            items.Select(i => i.GetAttribute("data-code")));
        var links = cut.FindAll("[data-testid=dry-run-fix]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(
            [
                $"/plans/{plan.Id}/edit?step=basics&focus={plan.Id}",
                $"/plans/{plan.Id}/edit?step=tiers&focus={unnamed.Id}",
                $"/plans/{plan.Id}/edit?step=products&focus={purchase.Id}",
            ],
            links);
        var activate = cut.Find("[data-testid=plan-activate]");
        Assert.True(activate.HasAttribute("disabled"));
        activate.Click();
        Assert.False(activated);
    }

    [Fact]
    public void APassingDryRunEnablesActivateAndActivatingCallsThePage()
    {
        var plan = new PlanBuilder().Build();
        var problems = ActivationDryRun.Check(plan, PlanBuilder.CleanContext());
        var activated = 0;

        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, plan.Id)
            .Add(x => x.Problems, problems)
            .Add(x => x.CanActivate, true)
            .Add(x => x.OnActivate, () => activated++));

        Assert.Empty(problems);
        Assert.Empty(cut.FindAll("[data-testid=dry-run-problem]"));
        cut.Find("[data-testid=dry-run-passed]");
        var activate = cut.Find("[data-testid=plan-activate]");
        Assert.False(activate.HasAttribute("disabled"));
        activate.Click();
        Assert.Equal(1, activated);
    }

    [Fact]
    public void APassingDryRunWithUnsavedChangesKeepsActivateDisabledAndSaysWhy()
    {
        var plan = new PlanBuilder().Build();

        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, plan.Id)
            .Add(x => x.Problems, ActivationDryRun.Check(plan, PlanBuilder.CleanContext()))
            .Add(x => x.CanActivate, false)
            .Add(x => x.Reason, "Save your changes before activating."));

        Assert.True(cut.Find("[data-testid=plan-activate]").HasAttribute("disabled"));
        Assert.Contains("Save your changes", cut.Find("[data-testid=activate-unavailable]").TextContent);
    }

    [Fact]
    public void WhileTheDryRunIsCheckingActivateIsDisabled()
    {
        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, Guid.NewGuid())
            .Add(x => x.Problems, null)
            .Add(x => x.CanActivate, true));

        cut.Find("[data-testid=dry-run-checking]");
        Assert.True(cut.Find("[data-testid=plan-activate]").HasAttribute("disabled"));
    }
}
