using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Dashboard;

[Collection(AppCollection.Name)]
public sealed class MerchantDashboardHttpTests(AppFixture app)
{
    [Fact]
    public async Task EachTileLinksOnlyToAPageTheUserMayOpen()
    {
        using var admin = await app.SignedInClientAsync("admin@aroma.demo");
        using var manager = await app.SignedInClientAsync("store@aroma.demo");

        var adminHtml = await admin.GetStringAsync("/");
        var managerHtml = await manager.GetStringAsync("/");

        Assert.Contains("data-testid=\"merchant-overview\"", adminHtml);
        Assert.Contains("data-testid=\"count-members-link\"", adminHtml);
        Assert.Contains("data-testid=\"count-paid-orders-link\"", adminHtml);
        Assert.Contains("data-testid=\"count-coupons-issued-link\"", adminHtml);
        Assert.Contains("data-testid=\"tier-members\"", adminHtml); // the demo members, by tier
        Assert.Contains("data-testid=\"count-members-link\"", managerHtml);
        Assert.Contains("data-testid=\"count-paid-orders-link\"", managerHtml);
        Assert.Contains("data-testid=\"count-coupons-issued\"", managerHtml);
        Assert.DoesNotContain("data-testid=\"count-coupons-issued-link\"", managerHtml); // activities are the admin's pages
    }
}
