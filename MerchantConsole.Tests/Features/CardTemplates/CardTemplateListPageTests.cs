using System.Globalization;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class CardTemplateListPageTests : MudBunitContext, IAsyncLifetime
{
    private CardTemplateHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CardTemplateHarness.CreateAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.Merchant.Id, "admin@cards.test");
        Services.AddSingleton(scope);
        Services.AddSingleton<IDbContextFactory<MerchantDbContext>>(new MerchantDbContextFactory(_harness.Database.Contexts, scope));
        Services.AddSingleton<TimeProvider>(_harness.Database.Clock);
        Services.AddScoped<CardTemplateService>();
        Services.AddScoped<CurrentStaff>();
        AddAuthorization().SetAuthorized("admin@cards.test").SetRoles(StaffRoles.MerchantAdmin);
        RenderProviders();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task TypingInTheSearchBoxNarrowsTheList()
    {
        var service = _harness.Service();
        await service.CreateAsync("Latte club", CardTemplateHarness.Design());
        await service.CreateAsync("Tea lovers", CardTemplateHarness.Design());
        var cut = Render<CardTemplateListPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=card-template-link]").Count));

        var search = cut.Find("[data-testid=card-template-search]");
        (search.TagName == "INPUT" ? search : search.QuerySelector("input")!).Input("tea");

        cut.WaitForAssertion(() => Assert.Equal("Tea lovers", Assert.Single(cut.FindAll("[data-testid=card-template-link]")).TextContent));
    }

    [Fact]
    public void AnEmptyListSaysHowToStart()
    {
        var cut = Render<CardTemplateListPage>();

        cut.WaitForAssertion(() => Assert.Contains("No card templates yet", cut.Find("[data-testid=card-templates-empty]").TextContent));
    }
}
