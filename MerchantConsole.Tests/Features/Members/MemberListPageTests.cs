using System.Globalization;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>The member list and the enrol dialog rendered with bUnit over a real database.</summary>
public sealed class MemberListPageTests : MudBunitContext, IAsyncLifetime
{
    /// <summary>Each wait covers a save on SQLite; on a loaded machine that takes seconds, not milliseconds.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private MembersHarness _harness = null!;
    private MembershipPlan _plan = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await MembersHarness.CreateAsync();
        _plan = await _harness.ActivePlanAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.Merchant.Id, "admin@members.test");
        Services.AddSingleton(scope);
        Services.AddSingleton<IDbContextFactory<MerchantDbContext>>(new MerchantDbContextFactory(_harness.Database.Contexts, scope));
        Services.AddSingleton<TimeProvider>(_harness.Database.Clock);
        Services.AddSingleton<ICardNumberGenerator, RandomCardNumbers>();
        Services.AddScoped<MemberQueries>();
        Services.AddScoped<MemberExports>();
        Services.AddSingleton<Hangfire.IBackgroundJobClient>(new RecordingJobs());
        Services.AddScoped<MembershipEnrolment>();
        Services.AddScoped<AuditHistory>();
        Services.AddScoped<CurrentStaff>();
        AddAuthorization().SetAuthorized("admin@members.test").SetRoles(StaffRoles.MerchantAdmin);
        RenderProviders();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task SearchFindsMembersByPartOfAPhoneByACardNumberAsPrintedAndByName()
    {
        var enrolment = _harness.Enrolment();
        await enrolment.EnrolAsync(MembersHarness.Request(_plan, phone: "13800138001", name: "王小明"));
        var li = await enrolment.EnrolAsync(MembersHarness.Request(_plan, "Gold", phone: "13900139002", name: "李雷"));
        await enrolment.EnrolAsync(MembersHarness.Request(_plan, phone: "+1 415 555 0100", name: "Alice"));
        var cut = Render<MemberListPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=member-link]").Count), Patience);

        Search(cut, "139 0013");
        cut.WaitForAssertion(() => Assert.Equal("李雷", Assert.Single(cut.FindAll("[data-testid=member-name]")).TextContent), Patience);

        Search(cut, CardNumbers.Display(li.CardNumber!));
        cut.WaitForAssertion(() => Assert.Equal(CardNumbers.Display(li.CardNumber!), Assert.Single(cut.FindAll("[data-testid=member-link]")).TextContent), Patience);

        Search(cut, "+86 138 0013 8001");
        cut.WaitForAssertion(() => Assert.Equal("王小明", Assert.Single(cut.FindAll("[data-testid=member-name]")).TextContent), Patience);

        Search(cut, "alic");
        cut.WaitForAssertion(() => Assert.Equal("+14155550100", Assert.Single(cut.FindAll("[data-testid=member-phone]")).TextContent), Patience);

        Search(cut, "100%_");
        cut.WaitForAssertion(() => Assert.Contains("No member matches", cut.Find("[data-testid=members-empty]").TextContent), Patience);
    }

    [Fact]
    public async Task TheKeysetPagerGoesForwardAndBackWithTheMaintainedTotal()
    {
        var enrolment = _harness.Enrolment();
        for (var i = 0; i < 25; i++)
        {
            await enrolment.EnrolAsync(MembersHarness.Request(_plan, phone: $"1380013{i:0000}", name: $"会员{i}"));
            _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var cut = Render<MemberListPage>();
        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll("[data-testid=member-link]").Count), Patience);
        Assert.Contains("25 members", cut.Find("[data-testid=member-total]").TextContent);
        Assert.Equal("会员24", cut.FindAll("[data-testid=member-name]")[0].TextContent);

        cut.Find("[data-testid=member-next] button, button[data-testid=member-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["会员4", "会员3", "会员2", "会员1", "会员0"], cut.FindAll("[data-testid=member-name]").Select(e => e.TextContent)), Patience);
        Assert.Contains("Page 2", cut.Find("[data-testid=member-page-number]").TextContent);

        cut.Find("[data-testid=member-previous] button, button[data-testid=member-previous]").Click();
        cut.WaitForAssertion(() => Assert.Equal("会员24", cut.FindAll("[data-testid=member-name]")[0].TextContent), Patience);
        Assert.Contains("Page 1", cut.Find("[data-testid=member-page-number]").TextContent);
    }

    [Fact]
    public void AnEmptyListSaysHowToStart()
    {
        var cut = Render<MemberListPage>();

        cut.WaitForAssertion(() => Assert.Contains("No members yet", cut.Find("[data-testid=members-empty]").TextContent), Patience);
    }

    [Fact]
    public async Task TheEnrolDialogValidatesThenEnrolsANewCustomerAndOpensTheirPage()
    {
        var providers = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<MemberListPage>();

        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=member-enrol]").HasAttribute("disabled")), Patience);
        cut.Find("[data-testid=member-enrol]").Click();
        providers.WaitForAssertion(() => Assert.NotNull(providers.Find("[data-testid=enrol-phone]")), Patience);
        Type(providers, "enrol-phone", "138 0013 abc");
        providers.Find("[data-testid=enrol-submit]").Click();

        providers.WaitForAssertion(() =>
        {
            Assert.Contains("Not a phone number", providers.Markup);
            Assert.Contains("Enter the customer's name.", providers.Markup);
        }, Patience);
        Assert.Empty(await _harness.AllAsync<Membership>());

        Type(providers, "enrol-phone", "+86 138-0013-8000");
        Type(providers, "enrol-name", "韩梅梅");
        Type(providers, "enrol-external-ref", "POS-77");
        providers.Find("[data-testid=enrol-submit]").Click();

        var membership = await WaitForAsync(async () => (await _harness.AllAsync<Membership>()).SingleOrDefault());
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith(MembersSetup.MemberUrl(membership.Id), navigation.Uri), Patience);
        var customer = Assert.Single(await _harness.AllAsync<Customer>());
        Assert.Equal(("13800138000", "韩梅梅", "POS-77"), (customer.Phone, customer.Name, customer.ExternalRef));
        Assert.Equal(_plan.Tiers.Single(t => t.Name == "Silver").Id, membership.TierId);
    }

    [Fact]
    public async Task TheEnrolDialogFindsAnExistingCustomerByPhoneAndShowsARefusal()
    {
        await _harness.Enrolment().EnrolAsync(MembersHarness.Request(_plan, phone: "13800138000", name: "王小明", externalRef: "POS-1"));
        var providers = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<MemberListPage>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=member-enrol]").HasAttribute("disabled")), Patience);
        cut.Find("[data-testid=member-enrol]").Click();
        providers.WaitForAssertion(() => Assert.NotNull(providers.Find("[data-testid=enrol-phone]")), Patience);

        Type(providers, "enrol-phone", "138 0013 8000");

        providers.WaitForAssertion(() =>
        {
            Assert.Contains("Existing customer: 王小明", providers.Find("[data-testid=enrol-existing]").TextContent);
            Assert.True(Input(providers, "enrol-name").HasAttribute("disabled"));
            Assert.Equal("王小明", Input(providers, "enrol-name").GetAttribute("value"));
        }, Patience);

        // A new customer whose external reference another customer holds: the server's refusal is shown in the dialog.
        Type(providers, "enrol-phone", "13900000000");
        providers.WaitForAssertion(() =>
        {
            Assert.Empty(providers.FindAll("[data-testid=enrol-existing]"));
            Assert.False(Input(providers, "enrol-name").HasAttribute("disabled"));
            Assert.True(string.IsNullOrEmpty(Input(providers, "enrol-name").GetAttribute("value")));
        }, Patience);
        Type(providers, "enrol-name", "李雷");
        Type(providers, "enrol-external-ref", "POS-1");
        providers.Find("[data-testid=enrol-submit]").Click();

        providers.WaitForAssertion(() => Assert.Contains("POS-1", providers.Find("[data-testid=enrol-error]").TextContent), Patience);
        Assert.Single(await _harness.AllAsync<Customer>());
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<MudBlazor.MudDialogProvider> providers, string testId)
    {
        var element = providers.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private static void Type(IRenderedComponent<MudBlazor.MudDialogProvider> providers, string testId, string text)
    {
        var input = Input(providers, testId);
        // Immediate fields listen to input, the others to change; blur commits a debounced value.
        try
        {
            input.Input(text);
        }
        catch (MissingEventHandlerException)
        {
            input.Change(text);
        }
        input.Blur();
    }

    private static void Search(IRenderedComponent<MemberListPage> cut, string text)
    {
        var search = cut.Find("[data-testid=member-search]");
        (search.TagName == "INPUT" ? search : search.QuerySelector("input")!).Input(text);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        for (var i = 0; i < 400; i++)
        {
            if (await probe() is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException("The enrolment was not saved.");
    }
}
