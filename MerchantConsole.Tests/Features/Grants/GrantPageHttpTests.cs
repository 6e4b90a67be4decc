using System.Net;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Grants;

[Collection(AppCollection.Name)]
public sealed class GrantPageHttpTests(AppFixture app)
{
    [Fact]
    public async Task AGrantPageOrReportOfACouponActivityOrGrantThatIsNotTheMerchantsAnswers404()
    {
        var admin = await app.SignedInClientAsync("admin@orchard.demo");

        var page = await admin.GetAsync($"/activities/{Guid.NewGuid()}/coupon-activities/{Guid.NewGuid()}/grant");
        var report = await admin.GetAsync($"/grants/{Guid.NewGuid()}/errors.csv");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("data-testid=\"grant-not-found\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
    }
}
