using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Support;
using MerchantConsole.Localization;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Browser;

/// <summary>The plan wizard as a merchant admin walks through it.</summary>
public sealed partial class PlanWizardPageObject(IPage page)
{
    public ILocator Field(string testId, int index = 0) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").Nth(index);

    public ILocator Wizard => page.GetByTestId("plan-wizard");

    /// <summary>Picks a MudSelect option, again if a click landed while the popover was still opening.</summary>
    public Task ChooseAsync(string selectTestId, string optionText) => ChooseAsync(Field(selectTestId), optionText);

    public async Task ChooseAsync(ILocator select, string optionText)
    {
        for (var attempt = 1; ; attempt++)
        {
            await select.ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = optionText }).First.ClickAsync();
            try
            {
                await Assertions.Expect(select).ToHaveValueAsync(optionText, new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    public async Task NextAsync(string expectedStep)
    {
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(Wizard).ToHaveAttributeAsync("data-step", expectedStep);
    }

    /// <summary>Silver (free signup) and Gold (1000 spend, sold for 199 a year), then the review step.</summary>
    public async Task CreateValidPlanAsync(string name, string templateLabel)
    {
        await page.GotoAsync("/plans/new");
        await new Shell(page).WaitInteractiveAsync();
        await Field("plan-name").FillAsync(name);
        await ChooseAsync("plan-template-version", templateLabel);
        await NextAsync("tiers");
        await page.WaitForURLAsync(EditUrl());

        await page.GetByTestId("tier-add").ClickAsync();
        await Field("tier-name", 0).FillAsync("Silver");
        await page.GetByTestId("tier-add").ClickAsync();
        await Field("tier-name", 1).FillAsync("Gold");
        // A new tier has no upgrade rule until one is chosen.
        await ChooseSpendRuleAsync(page.GetByTestId("tier-card").Nth(1));
        await Field("tier-threshold", 0).FillAsync("1000");
        await NextAsync("channels");

        await AddChannelAsync(0, JoinChannelType.FreeSignup);
        await AddChannelAsync(1, JoinChannelType.Purchase);
        await Assertions.Expect(page.GetByTestId("channel-row")).ToHaveCountAsync(2);
        await NextAsync("products");

        await page.GetByTestId("product-add").ClickAsync();
        await Field("product-name").FillAsync("Gold yearly");
        await Field("product-price").FillAsync("199");
        await NextAsync("review");
    }

    /// <summary>Gives a tier the cumulative-spend rule: its threshold field appears once the rule is chosen.</summary>
    private async Task ChooseSpendRuleAsync(ILocator tierCard)
    {
        var threshold = tierCard.Locator("input[data-testid=tier-threshold], [data-testid=tier-threshold] input");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await tierCard.Locator(".mud-select").First.ClickAsync(new() { Timeout = 10_000 });
                await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "累计消费" }).First.ClickAsync(new() { Timeout = 10_000 });
                await Assertions.Expect(threshold).ToBeVisibleAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                if (attempt == 3)
                    throw new InvalidOperationException("Could not choose the spend rule in: " + await tierCard.InnerHTMLAsync(), ex);
            }
        }
    }

    /// <summary>Activate, and confirm it in the dialog that asks first.</summary>
    public async Task ActivateAsync()
    {
        await page.GetByTestId("plan-activate").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "激活", Exact = true }).ClickAsync();
    }

    private async Task AddChannelAsync(int tierIndex, JoinChannelType type)
    {
        await page.GetByTestId("channel-add").Nth(tierIndex).Locator("button").First.ClickAsync();
        await page.GetByTestId($"channel-add-{type}").ClickAsync();
    }

    [GeneratedRegex("/plans/[0-9a-f-]{36}/edit")]
    public static partial Regex EditUrl();

    [GeneratedRegex("/plans/([0-9a-f-]{36})$")]
    public static partial Regex PlanUrl();
}

[Collection(AppCollection.Name)]
public sealed class PlanBrowserTests(AppFixture app, BrowserFixture browser)
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    [Fact]
    public async Task AnAdminCreatesAPlanInTheWizardActivatesItAndWatchesItGoActiveAndAFaultyOneIsRetriedBySupport()
    {
        var templateLabel = await PublishedTemplateLabelAsync("aroma-coffee");
        var page = await browser.NewPageAsync(app.BaseAddress);
        var shell = new Shell(page);
        var wizard = new PlanWizardPageObject(page);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        try
        {
            await SignInAsync(page, "admin@aroma.demo");

            // A healthy plan: wizard → review → activate → Active on the plan page, without a reload.
            await wizard.CreateValidPlanAsync($"Coffee Club {suffix}", templateLabel);
            await Assertions.Expect(page.GetByTestId("dry-run-passed")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("plan-activate")).ToBeEnabledAsync();
            await wizard.ActivateAsync();
            await page.WaitForURLAsync(PlanWizardPageObject.PlanUrl());
            await shell.WaitInteractiveAsync();
            await page.EvaluateAsync("() => window.__samePage = true");
            await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", nameof(PlanStatus.Active), new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("product-status")).ToHaveAttributeAsync("data-status", nameof(ProductStatus.Active), new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("current-run")).ToHaveAttributeAsync("data-status", nameof(WorkflowRunStatus.Succeeded));
            Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "The plan page reloaded instead of updating live.");
            await Assertions.Expect(page.GetByTestId("audit-row").First).ToBeVisibleAsync();

            // A plan whose activation fails on purpose until the attempts run out: it shows Stuck, live.
            await wizard.CreateValidPlanAsync($"Tea Club {AppFixture.FaultPlanMarker} {suffix}", templateLabel);
            await wizard.ActivateAsync();
            await page.WaitForURLAsync(PlanWizardPageObject.PlanUrl());
            var planId = Guid.Parse(PlanWizardPageObject.PlanUrl().Match(page.Url).Groups[1].Value);
            await shell.WaitInteractiveAsync();
            await page.EvaluateAsync("() => window.__samePage = true");
            await Assertions.Expect(page.GetByTestId("current-run")).ToHaveAttributeAsync("data-status", nameof(WorkflowRunStatus.Stuck), new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("current-run-stuck")).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "The plan page reloaded instead of updating live.");
            Assert.NotEqual(nameof(PlanStatus.Active), await page.GetByTestId("plan-status").GetAttributeAsync("data-status"));
            var runId = await page.GetByTestId("current-run").GetAttributeAsync("data-run-id");

            // Support retries the stuck run from the console and it finishes.
            await shell.SignOutAsync();
            await SignInAsync(page, "support@merchantconsole.demo");
            await page.GotoAsync($"/support/runs/{runId}");
            await shell.WaitInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("support-run-status")).ToHaveTextAsync(Vocabulary.Of(WorkflowRunStatus.Stuck, Chinese));
            await page.GetByTestId("support-retry").ClickAsync();
            await page.GetByTestId("support-action-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("support-run-status")).ToHaveTextAsync(Vocabulary.Of(WorkflowRunStatus.Succeeded, Chinese), new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("support-plan-status")).ToHaveTextAsync(Vocabulary.Of(PlanStatus.Active, Chinese));

            // And the merchant sees it Active.
            await shell.SignOutAsync();
            await SignInAsync(page, "admin@aroma.demo");
            await page.GotoAsync($"/plans/{planId}");
            await shell.WaitInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("plan-status")).ToHaveAttributeAsync("data-status", nameof(PlanStatus.Active));
            await Assertions.Expect(page.Locator("[data-testid=run]")).ToHaveAttributeAsync("data-status", nameof(WorkflowRunStatus.Succeeded));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("plan-browser-failure.png"), FullPage = true });
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task AProblemsFixLinkOpensItsStepWithTheEntityHighlightedAndLeavingWithUnsavedChangesAsksFirst()
    {
        var (planId, unnamedTierId) = await DraftWithAnUnnamedTierAsync("aroma-coffee");
        var page = await browser.NewPageAsync(app.BaseAddress);
        var shell = new Shell(page);
        var wizard = new PlanWizardPageObject(page);
        try
        {
            await SignInAsync(page, "admin@aroma.demo");
            await page.GotoAsync($"/plans/{planId}/edit?step=review");
            await shell.WaitInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("dry-run-failed")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("plan-activate")).ToBeDisabledAsync();

            await page.Locator("[data-testid=dry-run-fix][data-step=tiers]").ClickAsync();
            await Assertions.Expect(wizard.Wizard).ToHaveAttributeAsync("data-step", "tiers");
            Assert.Contains($"focus={unnamedTierId}", page.Url);
            await Assertions.Expect(page.Locator("[data-testid=tier-card][data-focused=true]")).ToHaveCountAsync(1);

            // An unsaved change: leaving asks, "stay" keeps the edit, "leave" goes.
            await wizard.Field("tier-name").FillAsync("Bronze");
            await wizard.Field("tier-name").PressAsync("Tab");
            await Assertions.Expect(wizard.Wizard).ToHaveAttributeAsync("data-dirty", "true");
            await page.GetByTestId("nav-plans").ClickAsync();
            var dialogButtons = page.Locator(".mud-dialog .mud-dialog-actions button");
            await Assertions.Expect(dialogButtons.First).ToBeVisibleAsync();
            await dialogButtons.First.ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            Assert.Contains($"/plans/{planId}/edit", page.Url);
            await Assertions.Expect(wizard.Field("tier-name")).ToHaveValueAsync("Bronze");

            await page.GetByTestId("nav-plans").ClickAsync();
            await dialogButtons.Last.ClickAsync();
            // The wizard leaves by client-side navigation: poll the address rather than wait for a load event.
            await Assertions.Expect(page).ToHaveURLAsync(app.BaseAddress + "/plans", new PageAssertionsToHaveURLOptions { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("plans-title")).ToBeVisibleAsync();
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("plan-fix-link-failure.png"), FullPage = true });
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<(Guid PlanId, Guid TierId)> DraftWithAnUnnamedTierAsync(string merchantCode)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode);
        var now = DateTimeOffset.UtcNow;
        var plan = MembershipPlan.Create(db.Scope.MerchantId!.Value, $"Half-done plan {Guid.NewGuid().ToString("N")[..6]}", null, "CNY", now);
        plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var unnamed = plan.AddTier("", "#336699", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return (plan.Id, unnamed.Id);
    }

    private async Task SignInAsync(IPage page, string email)
    {
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync(email, DemoData.Password);
        await page.WaitForURLAsync(app.BaseAddress + "/");
    }

    /// <summary>The support console's own wording in the browser's language, so the test reads what support reads.</summary>
    /// <summary>The card-template feature has its own browser test; a plan only needs a published version to point at.</summary>
    private async Task<string> PublishedTemplateLabelAsync(string merchantCode)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode);
        var now = DateTimeOffset.UtcNow;
        var template = CardTemplate.Create(db.Scope.MerchantId!.Value, $"Plan card {Guid.NewGuid().ToString("N")[..6]}", Designs.Compliant(), "plan browser test", now);
        var version = template.Publish("plan browser test", now);
        db.CardTemplates.Add(template);
        await db.SaveChangesAsync();
        return $"{template.Name} · v{version.Number}";
    }
}
