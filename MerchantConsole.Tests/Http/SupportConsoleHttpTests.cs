using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Support;
using MerchantConsole.Tests.Features.Support;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class SupportConsoleHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnonymousVisitorsOfTheSupportConsoleAreSentToTheLoginPage()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/support/runs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("admin@aroma.demo")]
    [InlineData("store@aroma.demo")]
    public async Task TheSupportConsoleRefusesMerchantStaff(string email)
    {
        using var client = await app.SignedInClientAsync(email);

        var list = await client.GetAsync("/support/runs");
        var run = await client.GetAsync($"/support/runs/{Guid.NewGuid()}");

        foreach (var response in new[] { list, run })
        {
            if (response.StatusCode == HttpStatusCode.Redirect)
                Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
            else
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("support-runs-title", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task TheSupportConsoleOpensForSupport()
    {
        using var client = await app.SignedInClientAsync("support@merchantconsole.demo");

        var response = await client.GetAsync("/support/runs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"support-runs-title\"", html);
        Assert.Contains("href=\"/support/runs\"", html);
        Assert.Contains("data-testid=\"support-runs-kind\"", html); // runs of every kind, filtered by kind
    }

    [Fact]
    public async Task ASupportUserSeesAStuckRunWithItsStepsAndRecords()
    {
        var planName = $"Stuck plan {Guid.NewGuid():N}"[..20];
        var (_, runId) = await StuckRunSeed.CreateAsync(app, planName, "database unreachable");
        using var client = await app.SignedInClientAsync("support@merchantconsole.demo");

        var html = await client.GetStringAsync($"/support/runs/{runId}");
        var missing = await client.GetStringAsync($"/support/runs/{Guid.NewGuid()}");

        Assert.Contains(planName, html);
        Assert.Contains("database unreachable", html);
        Assert.Contains("Monthly pass", html);
        Assert.Contains("data-testid=\"support-run-status\"", html);
        Assert.Contains($"data-kind=\"{PlanActivation.Kind}\"", html);
        Assert.Contains("data-testid=\"support-plan-status\"", html); // the plan activation's own records component
        Assert.Contains("data-testid=\"support-run-not-found\"", missing);

        // Leave nothing stuck behind for other tests of the shared app.
        await using var services = app.Factory.Services.CreateAsyncScope();
        services.ServiceProvider.GetRequiredService<MerchantScope>().UseAcrossMerchants("support@merchantconsole.demo");
        await services.ServiceProvider.GetRequiredService<SupportConsoleService>().RollBackAsync(runId, "test clean-up");
    }
}
