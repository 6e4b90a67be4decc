using Bunit;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Tests.Domain.Plans;
using MerchantConsole.Tests.TestSupport;
using MudBlazor;

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
    public void APassingDryRunEnablesActivateAndConfirmingActivationCallsThePage()
    {
        var dialogs = Render<MudDialogProvider>();
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
        Assert.Equal(0, activated);
        DialogButton(dialogs, "Activate").Click();
        cut.WaitForAssertion(() => Assert.Equal(1, activated));
    }

    [Fact]
    public void CancellingTheActivationConfirmationDoesNothing()
    {
        var dialogs = Render<MudDialogProvider>();
        var plan = new PlanBuilder().Build();
        var activated = 0;
        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, plan.Id)
            .Add(x => x.Problems, ActivationDryRun.Check(plan, PlanBuilder.CleanContext()))
            .Add(x => x.CanActivate, true)
            .Add(x => x.OnActivate, () => activated++));

        cut.Find("[data-testid=plan-activate]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Activate this plan?", dialogs.Markup));
        DialogButton(dialogs, "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Activate this plan?", dialogs.Markup));
        Assert.Equal(0, activated);
    }

    [Fact]
    public void TheReviewOfADraftSummarisesEveryTierChannelAndProductThatGoesLive()
    {
        var silver = Guid.NewGuid();
        var purchase = Guid.NewGuid();
        var model = new PlanEditModel
        {
            Id = Guid.NewGuid(),
            Status = PlanStatus.Draft,
            Basics = new BasicsForm { Name = "Coffee club", Currency = "CNY" },
            Tiers = [new TierForm { Id = silver, Name = "Silver" }],
            Channels = [new ChannelForm { Id = purchase, TierId = silver, Type = JoinChannelType.Purchase }],
            Products = [new ProductForm { Id = Guid.NewGuid(), ChannelId = purchase, Name = "Annual pass", Price = 199m }],
        };

        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, model.Id)
            .Add(x => x.Problems, [])
            .Add(x => x.Summary, GoLiveSummary.From(model)));

        var lines = cut.FindAll("[data-testid=go-live-change]").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["Tier Silver", "Purchase into Silver", "Product Annual pass (Silver) at CNY 199.00"], lines);
    }

    [Fact]
    public void TheReviewOfARevisionShowsOnlyWhatChangesWithPricesOldToNew()
    {
        var silver = Guid.NewGuid();
        var gold = Guid.NewGuid();
        var silverShop = Guid.NewGuid();
        var goldShop = Guid.NewGuid();
        var model = new PlanEditModel
        {
            Id = Guid.NewGuid(),
            Status = PlanStatus.Active,
            HasGoneLive = true,
            HasPendingRevision = true,
            Basics = new BasicsForm { Name = "Coffee club", Currency = "CNY" },
            Tiers = [new TierForm { Id = silver, Name = "Silver", Live = true }, new TierForm { Id = gold, Name = "Gold", Pending = true }],
            Channels =
            [
                new ChannelForm { Id = silverShop, TierId = silver, Type = JoinChannelType.Purchase, Live = true },
                new ChannelForm { Id = goldShop, TierId = gold, Type = JoinChannelType.Purchase, Pending = true },
            ],
            Products =
            [
                new ProductForm { Id = Guid.NewGuid(), ChannelId = silverShop, Name = "Silver pass", Price = 129m, LivePrice = 99m, Live = true, Pending = true },
                new ProductForm { Id = Guid.NewGuid(), ChannelId = goldShop, Name = "Gold pass", Price = 299m, Pending = true },
            ],
        };

        var cut = Render<PlanReviewStep>(p => p
            .Add(x => x.PlanId, model.Id)
            .Add(x => x.Problems, [])
            .Add(x => x.IsRevision, true)
            .Add(x => x.Summary, GoLiveSummary.From(model)));

        Assert.Contains("What this revision changes", cut.Find("[data-testid=go-live-summary]").TextContent);
        var lines = cut.FindAll("[data-testid=go-live-change]").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(
            ["Tier Gold", "Purchase into Gold", "Price of Silver pass (Silver): CNY 99.00 → CNY 129.00", "Product Gold pass (Gold) at CNY 299.00"],
            lines);
        Assert.DoesNotContain(lines, l => l == "Tier Silver");
    }

    [Fact]
    public void TheReviewOfARevisionNamesTheCardTemplateChangeOldToNewAndADraftNamesItsCard()
    {
        var (live, next) = (Guid.NewGuid(), Guid.NewGuid());
        TemplateVersionOption[] versions = [new(live, "Coffee card · v1", true), new(next, "Coffee card · v2", true)];
        var revision = new PlanEditModel
        {
            Id = Guid.NewGuid(),
            Status = PlanStatus.Active,
            HasGoneLive = true,
            HasPendingRevision = true,
            LiveCardTemplateVersionId = live,
            Basics = new BasicsForm { Name = "Coffee club", Currency = "CNY", CardTemplateVersionId = next },
        };
        var unchanged = new PlanEditModel
        {
            Id = revision.Id, Status = PlanStatus.Active, HasGoneLive = true, LiveCardTemplateVersionId = live,
            Basics = new BasicsForm { Name = "Coffee club", Currency = "CNY", CardTemplateVersionId = live },
        };
        var draft = new PlanEditModel
        {
            Id = Guid.NewGuid(), Status = PlanStatus.Draft,
            Basics = new BasicsForm { Name = "Tea club", Currency = "CNY", CardTemplateVersionId = live },
        };

        string[] Lines(PlanEditModel model) => [.. Render<PlanReviewStep>(p => p
                .Add(x => x.PlanId, model.Id)
                .Add(x => x.Problems, [])
                .Add(x => x.IsRevision, model.HasGoneLive)
                .Add(x => x.Versions, versions)
                .Add(x => x.Summary, GoLiveSummary.From(model)))
            .FindAll("[data-testid=go-live-change]").Select(l => l.TextContent.Trim())];

        Assert.Equal(["Card Coffee card · v1 → Coffee card · v2"], Lines(revision));
        Assert.Empty(Lines(unchanged));
        Assert.Equal(["Card Coffee card · v1"], Lines(draft));
    }

    private static AngleSharp.Dom.IElement DialogButton(IRenderedComponent<MudDialogProvider> dialogs, string text)
    {
        AngleSharp.Dom.IElement? button = null;
        dialogs.WaitForAssertion(() => button = Assert.Single(dialogs.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == text));
        return button!;
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
