using System.Security.Claims;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Features.Dashboard;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Dashboard;

public sealed class DashboardPageTests : MudBunitContext, IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private void SignInAs(Guid merchantId, string displayName)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@coffee.test");
        auth.SetClaims(new Claim(MerchantScope.MerchantIdClaim, merchantId.ToString()), new Claim("display_name", displayName));
        Services.AddSingleton(_database.Contexts);
        Services.AddScoped<MerchantScope>();
        Services.AddScoped<IDbContextFactory<MerchantDbContext>, MerchantDbContextFactory>();
        Services.AddScoped<CurrentStaff>();
        Services.AddScoped<DashboardService>();
        Services.AddScoped<MerchantOverviewService>();
        Services.AddSingleton<TimeProvider>(_database.Clock);
    }

    [Fact]
    public async Task TheDashboardShowsTheMerchantAndItsOwnCounts()
    {
        var coffee = await _database.AddMerchantAsync("coffee");
        var fruit = await _database.AddMerchantAsync("fruit");
        await using (var db = _database.Unscoped())
        {
            db.Users.Add(new StaffUser { UserName = "a@coffee", MerchantId = coffee.Id });
            db.Users.Add(new StaffUser { UserName = "b@coffee", MerchantId = coffee.Id });
            db.Users.Add(new StaffUser { UserName = "c@fruit", MerchantId = fruit.Id });
            await db.SaveChangesAsync();
        }
        SignInAs(coffee.Id, "Ada");

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=count-staff]").TextContent.Trim()));
        Assert.Equal("Merchant coffee", page.Find("[data-testid=dashboard-title]").TextContent.Trim());
        Assert.Contains("Ada", page.Markup);
        Assert.Contains("Asia/Shanghai", page.Markup);
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-testid=count-members]").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=chart-revenue]"));
    }
}
