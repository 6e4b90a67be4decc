using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>The benefit wizard page over a real database: what each step shows and what it saves.</summary>
public sealed class BenefitWizardPageTests : MudBunitContext, IAsyncLifetime
{
    private BenefitHarness _harness = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await BenefitHarness.CreateAsync();
        Services.AddSingleton(_harness.Service());
        Services.AddSingleton(new CouponTemplateService(_harness.Contexts(), _harness.Activation.Clock));
        Services.AddSingleton(new ActivityService(_harness.Contexts(), _harness.Activation.Clock));
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.MerchantId, "admin@coffee.test");
        Services.AddSingleton(scope);
        Services.AddSingleton(_harness.Contexts());
        Services.AddScoped<CurrentStaff>();
        Services.AddSingleton<TimeProvider>(_harness.Activation.Clock);
        AddAuthorization().SetAuthorized("admin@coffee.test").SetRoles(StaffRoles.MerchantAdmin);
        _popovers = Render<MudPopoverProvider>();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task ANewBenefitStartsOnTheMerchantsTodayNotTheServers()
    {
        // 20:00 UTC on 27 November is already the 28th in Shanghai, the merchant's zone (and neither is this machine's date).
        var clock = _harness.Activation.Clock;
        clock.Advance(new DateTimeOffset(2026, 11, 27, 20, 0, 0, TimeSpan.Zero) - clock.GetUtcNow());

        Navigation.NavigateTo($"/plans/{_harness.Plan.Id}/benefits/new");
        var wizard = Render<BenefitWizardPage>(p => p.Add(x => x.PlanId, _harness.Plan.Id));
        wizard.WaitForAssertion(() => wizard.Find("[data-testid=benefit-save-basics]"));
        wizard.Find("[data-testid=benefit-name]").Change("Welcome");
        wizard.Find("[data-testid=benefit-save-basics]").Click();
        wizard.WaitForAssertion(() => Assert.EndsWith("?step=Settings", Navigation.Uri), TimeSpan.FromSeconds(5));
        var benefit = Assert.Single(await _harness.AllAsync<Benefit>());

        var settings = RenderStep(benefit.Id, BenefitWizardStep.Settings);

        settings.WaitForAssertion(() => Assert.Equal("2026-11-28", Field(settings, "benefit-effective-from").GetAttribute("value")));
    }

    [Fact]
    public async Task SavingTheBasicsWithoutANameShowsWhyAndSavesNothing()
    {
        Navigation.NavigateTo($"/plans/{_harness.Plan.Id}/benefits/new");
        var wizard = Render<BenefitWizardPage>(p => p.Add(x => x.PlanId, _harness.Plan.Id));
        wizard.WaitForAssertion(() => wizard.Find("[data-testid=benefit-save-basics]"));

        wizard.Find("[data-testid=benefit-name]").Change("   ");
        wizard.Find("[data-testid=benefit-save-basics]").Click();

        wizard.WaitForAssertion(() => Assert.Equal("A benefit needs a name.", wizard.Find("[data-testid=benefit-error]").TextContent.Trim()));
        Assert.Empty(await _harness.AllAsync<Benefit>());
        Assert.EndsWith($"/plans/{_harness.Plan.Id}/benefits/new", Navigation.Uri);
    }

    [Fact]
    public async Task TheCouponSettingsListOnlyTheMerchantsPublishedTemplates()
    {
        var draftOnly = await Templates().CreateAsync("Draft only", CouponTestTerms.CashOff(), publish: false);
        var other = await _harness.Activation.AddMerchantAsync("tea");
        var otherTemplate = await new CouponTemplateService(_harness.Contexts(other.Id), _harness.Activation.Clock)
            .CreateAsync("Tea coupon", CouponTestTerms.CashOff(), publish: true);
        Assert.True(draftOnly.Succeeded && otherTemplate.Succeeded);
        var benefitId = await CouponDraftAsync();

        var wizard = RenderStep(benefitId, BenefitWizardStep.Settings);

        var options = OpenTemplateOptions(wizard);
        Assert.Equal(["满100减20 · v1"], options);
    }

    [Fact]
    public async Task ATemplateCreatedInlineIsListedAndSelectedAtOnceAndSavedWithTheSettings()
    {
        var benefitId = await CouponDraftAsync();
        var wizard = RenderStep(benefitId, BenefitWizardStep.Settings);
        Assert.Equal("", Select(wizard, "benefit-template").Trim());

        Field(wizard, "benefit-new-template-name").Change("Five off");
        Field(wizard, "benefit-new-template-face").Change("5");
        wizard.Find("[data-testid=benefit-create-template]").Click();

        // Selected and shown at once: the select shows the new template's name, not an empty box or its id.
        wizard.WaitForAssertion(() => Assert.Equal("Five off · v1", Select(wizard, "benefit-template").Trim()), TimeSpan.FromSeconds(5));
        var created = Assert.Single(await _harness.AllAsync<CouponTemplate>(), t => t.Name == "Five off");
        Assert.Equal(["Five off · v1", "满100减20 · v1"], OpenTemplateOptions(wizard));

        Field(wizard, "benefit-budget").Change("100");
        wizard.Find("[data-testid=benefit-save-settings]").Click();
        wizard.WaitForAssertion(() => Assert.EndsWith("?step=Review", Navigation.Uri), TimeSpan.FromSeconds(5));
        var draft = (await _harness.BenefitAsync(benefitId)).Draft!;
        var version = await PublishedVersionOfAsync(created.Id);
        Assert.Equal((version, 100), (draft.CouponTemplateVersionId, draft.Budget));
    }

    [Fact]
    public async Task ADoubleClickOnCreateAndPublishCreatesOneTemplate()
    {
        var benefitId = await CouponDraftAsync();
        var wizard = RenderStep(benefitId, BenefitWizardStep.Settings);
        Field(wizard, "benefit-new-template-name").Change("Five off");
        Field(wizard, "benefit-new-template-face").Change("5");

        // Both clicks reach the server before the disabled button reaches the browser, as a double click's do.
        var button = wizard.Find("[data-testid=benefit-create-template]");
        var first = button.ClickAsync(new());
        var second = button.ClickAsync(new());
        await Task.WhenAll(first, second);

        wizard.WaitForAssertion(() => Assert.Equal("Five off · v1", Select(wizard, "benefit-template").Trim()), TimeSpan.FromSeconds(5));
        Assert.Single(await _harness.AllAsync<CouponTemplate>(), t => t.Name == "Five off");
    }

    [Fact]
    public async Task ALateLocationChangeForTheSameStepKeepsTheActivityAndTemplateJustCreatedSelected()
    {
        var benefitId = await CouponDraftAsync();
        var wizard = RenderStep(benefitId, BenefitWizardStep.Settings);
        Field(wizard, "benefit-new-activity-name").Change("Spring");
        wizard.Find("[data-testid=benefit-create-activity]").Click();
        wizard.WaitForAssertion(() => Assert.StartsWith("Spring", Select(wizard, "benefit-activity").Trim()), TimeSpan.FromSeconds(5));
        Field(wizard, "benefit-new-template-name").Change("Five off");
        Field(wizard, "benefit-new-template-face").Change("5");
        wizard.Find("[data-testid=benefit-create-template]").Click();
        wizard.WaitForAssertion(() => Assert.Equal("Five off · v1", Select(wizard, "benefit-template").Trim()), TimeSpan.FromSeconds(5));

        // The browser reports the navigation into this step once more, as a busy circuit does seconds later: the
        // query parameter is supplied again with the same value, which must not reload the form over the new choices.
        Navigation.NavigateTo($"{BenefitsSetup.EditUrl(benefitId)}?step={BenefitWizardStep.Settings}");

        wizard.WaitForAssertion(() => Assert.Empty(wizard.FindAll(".mud-progress-linear")), TimeSpan.FromSeconds(5));
        Assert.Equal("Five off · v1", Select(wizard, "benefit-template").Trim());
        Assert.StartsWith("Spring", Select(wizard, "benefit-activity").Trim());
        Field(wizard, "benefit-budget").Change("100");
        wizard.Find("[data-testid=benefit-save-settings]").Click();
        wizard.WaitForAssertion(() => Assert.EndsWith("?step=Review", Navigation.Uri), TimeSpan.FromSeconds(5));
        var draft = (await _harness.BenefitAsync(benefitId)).Draft!;
        var activity = Assert.Single(await _harness.AllAsync<Activity>(), a => a.Name == "Spring");
        var template = Assert.Single(await _harness.AllAsync<CouponTemplate>(), t => t.Name == "Five off");
        Assert.Equal((activity.Id, await PublishedVersionOfAsync(template.Id)), (draft.ChosenActivityId, draft.CouponTemplateVersionId));
        // The activity starts when the benefit's first day starts in the merchant's zone, not in the server's.
        var zone = LocalDays.Zone((await _harness.AllAsync<MerchantConsole.Domain.Merchants.Merchant>()).Single(m => m.Id == _harness.MerchantId).TimeZoneId);
        Assert.Equal(LocalDays.StartOf(draft.EffectiveFrom, zone), activity.StartsAt);
    }

    [Fact]
    public async Task TheReviewListsTheDryRunProblemsOfASuspendedPlanWithALinkToFixThem()
    {
        var benefitId = await _harness.CouponBenefitAsync("Monthly treat", IssuingRule.MonthlyOn(1));
        await _harness.Activation.ChangePlanAsync(_harness.MerchantId, _harness.Plan.Id, (p, now) => p.Suspend(now));

        var wizard = RenderStep(benefitId, BenefitWizardStep.Review);

        var problem = wizard.Find("[data-testid=benefit-problem]");
        Assert.Equal("Benefit.PlanNotActive", problem.GetAttribute("data-code"));
        Assert.Contains("Plan Coffee Club is Suspended; benefits are activated on an Active plan.", problem.TextContent);
        Assert.Contains("Basics", problem.QuerySelector("[data-testid=benefit-problem-fix]")!.TextContent);
        Assert.Empty(wizard.FindAll("[data-testid=benefit-dry-run-ok]"));
        Assert.True(wizard.Find("[data-testid=benefit-activate]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task TheCostForecastFollowsTheRedemptionRate()
    {
        var benefitId = await _harness.CouponBenefitAsync("Monthly treat", IssuingRule.MonthlyOn(1));
        foreach (var phone in new[] { "13800138000", "13800138001" })
        {
            var enrolled = await new MembershipEnrolment(_harness.Contexts(), _harness.Activation.Clock, new RandomCardNumbers())
                .EnrolAsync(new EnrolRequest(_harness.Plan.Id, _harness.Tier("Silver"), _harness.ManualChannel, new CustomerDetails(phone, "王小明", null, null)));
            Assert.Equal(EnrolOutcome.Enrolled, enrolled.Outcome);
        }

        var wizard = RenderStep(benefitId, BenefitWizardStep.Review);
        wizard.Find("[data-testid=benefit-dry-run-ok]");
        // ¥20 off, once a month, 30% redeemed: ¥6 a member, ¥12 for the two members.
        Assert.Equal("CNY 6.00", wizard.Find("[data-testid=benefit-forecast-member]").TextContent.Trim());
        Assert.Equal("CNY 12.00", wizard.Find("[data-testid=benefit-forecast-plan]").TextContent.Trim());

        Field(wizard, "benefit-rate").Change("50");

        wizard.WaitForAssertion(() => Assert.Equal("CNY 10.00", wizard.Find("[data-testid=benefit-forecast-member]").TextContent.Trim()));
        Assert.Equal("CNY 20.00", wizard.Find("[data-testid=benefit-forecast-plan]").TextContent.Trim());
        Assert.False(wizard.Find("[data-testid=benefit-activate]").HasAttribute("disabled"));
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private CouponTemplateService Templates() => Services.GetRequiredService<CouponTemplateService>();

    private async Task<Guid> CouponDraftAsync()
    {
        var created = await _harness.Service().CreateAsync(_harness.Plan.Id, "Welcome coupon", [], BenefitKind.Coupon);
        Assert.True(created.Succeeded, created.Refusal?.English);
        return created.Id!.Value;
    }

    private IRenderedComponent<BenefitWizardPage> RenderStep(Guid benefitId, BenefitWizardStep step)
    {
        Navigation.NavigateTo($"{BenefitsSetup.EditUrl(benefitId)}?step={step}");
        var wizard = Render<BenefitWizardPage>(p => p.Add(x => x.BenefitId, benefitId));
        wizard.WaitForAssertion(() => Assert.Empty(wizard.FindAll(".mud-progress-linear")), TimeSpan.FromSeconds(5));
        return wizard;
    }

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<BenefitWizardPage> wizard, string testId) =>
        wizard.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    /// <summary>What a MudSelect shows: its chosen item's content, or the text of its input when it shows none.</summary>
    private static string Select(IRenderedComponent<BenefitWizardPage> wizard, string testId)
    {
        var select = wizard.Find($"[data-testid={testId}]");
        return select.TagName == "INPUT" ? select.GetAttribute("value") ?? "" : select.TextContent;
    }

    /// <summary>Opens the template select and reads its options.</summary>
    private List<string> OpenTemplateOptions(IRenderedComponent<BenefitWizardPage> wizard)
    {
        var providers = _popovers;
        wizard.Find("[data-testid=benefit-template]").Closest(".mud-input-control")!.MouseDown();
        List<string> options = [];
        providers.WaitForAssertion(() =>
        {
            options = [.. providers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim())];
            Assert.NotEmpty(options);
        });
        return options;
    }

    private async Task<Guid> PublishedVersionOfAsync(Guid templateId)
    {
        await using var db = _harness.Activation.Database.For(_harness.MerchantId);
        return await db.CouponTemplates.SelectMany(t => t.Versions).Where(v => v.CouponTemplateId == templateId && v.Status == CouponTemplateVersionStatus.Published)
            .Select(v => v.Id).SingleAsync();
    }
}
