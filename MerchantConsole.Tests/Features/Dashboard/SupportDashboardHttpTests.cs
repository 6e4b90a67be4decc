using System.Net;
using System.Text.RegularExpressions;
using MerchantConsole.Tests.Features.Support;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Dashboard;

[Collection(AppCollection.Name)]
public sealed partial class SupportDashboardHttpTests(AppFixture app)
{
    [Fact]
    public async Task SupportSeesStuckRunsOutboxAndFailedJobsAcrossMerchantsWithLinksTheyMayOpen()
    {
        await StuckRunSeed.CreateAsync(app, "Support dashboard stuck plan", "The card service timed out.");
        var support = await app.SignedInClientAsync("support@merchantconsole.demo");

        var response = await support.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"support-dashboard\"", html);
        Assert.True(Count(html, "count-stuck-runs") >= 1, "the seeded stuck run is counted");
        Count(html, "count-slow-runs");
        Count(html, "count-outbox-backlog");
        Count(html, "count-failed-jobs");
        // A merchant's figures mean nothing to support, who belong to no merchant.
        Assert.DoesNotContain("data-testid=\"count-staff\"", html);
        Assert.DoesNotContain("data-testid=\"count-plans\"", html);

        var links = TileLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        Assert.Equal(4, TileLink().Matches(html).Count);
        foreach (var link in links)
            Assert.Equal(HttpStatusCode.OK, (await support.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task AMerchantAdminKeepsTheMerchantDashboardWithoutSupportFigures()
    {
        var admin = await app.SignedInClientAsync("admin@aroma.demo");

        var html = await admin.GetStringAsync("/");

        Assert.Contains("data-testid=\"count-staff\"", html);
        Assert.DoesNotContain("data-testid=\"support-dashboard\"", html);
        Assert.DoesNotContain("count-stuck-runs", html);
    }

    private static long Count(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>\\s*(\\d+)\\s*<");
        Assert.True(match.Success, $"{testId} is on the page with a number");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\" class=\"mc-tile-link\"")]
    private static partial Regex TileLink();
}
