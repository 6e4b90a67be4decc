using System.Net;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Plans;

/// <summary>The plan pages as the real app serves them (prerendered), for two merchants and for roles without access.</summary>
[Collection(AppCollection.Name)]
public sealed class PlanPagesHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnotherMerchantsPlanIdInTheUrlAnswers404NotFoundAndNothingOfThePlan()
    {
        var planId = await AddDraftPlanAsync("aroma-coffee", "Aroma secret plan");
        var orchard = await EnglishClientAsync("admin@orchard.demo");
        var aroma = await app.SignedInClientAsync("admin@aroma.demo");

        foreach (var url in new[] { $"/plans/{planId}", $"/plans/{planId}/edit", $"/plans/{planId}/edit?step=review" })
        {
            var response = await orchard.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Not found", html);
            Assert.DoesNotContain("Aroma secret plan", html);
        }
        var own = await aroma.GetAsync($"/plans/{planId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Aroma secret plan", await own.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAddressThatIsNoPageAnswers404NotFound()
    {
        var admin = await EnglishClientAsync("admin@aroma.demo");

        var response = await admin.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AStoreManagerReadsThePlanListAndPlanPageWithoutAnyAction()
    {
        var planId = await AddDraftPlanAsync("aroma-coffee", "Aroma manager plan");
        var manager = await app.SignedInClientAsync("store@aroma.demo");
        var admin = await app.SignedInClientAsync("admin@aroma.demo");

        var list = await manager.GetAsync("/plans");
        var page = await manager.GetAsync($"/plans/{planId}");
        var listHtml = await list.Content.ReadAsStringAsync();
        var pageHtml = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("data-testid=\"plans-title\"", listHtml);
        Assert.DoesNotContain("data-testid=\"plan-new\"", listHtml);
        Assert.DoesNotContain("/plans/new", listHtml);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Aroma manager plan", pageHtml);
        foreach (var action in new[] { "plan-edit", "plan-suspend", "plan-resume", "plan-retire", "plan-discard-revision", "plan-review-revision" })
            Assert.DoesNotContain($"data-testid=\"{action}\"", pageHtml);
        Assert.DoesNotContain($"/plans/{planId}/edit", pageHtml);
        // The same page shows the admin the way to edit: the manager's page is read-only, not broken.
        Assert.Contains("data-testid=\"plan-edit\"", await admin.GetStringAsync($"/plans/{planId}"));
    }

    [Theory]
    [InlineData("en", "Not allowed")]
    [InlineData("zh-CN", "不允许访问")]
    public async Task TheWizardRefusesAStoreManagerWith403NotAllowed(string language, string notAllowed)
    {
        var planId = await AddDraftPlanAsync("aroma-coffee", "Aroma wizard plan");
        var manager = await app.SignedInClientAsync("store@aroma.demo");
        manager.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        foreach (var url in new[] { "/plans/new", $"/plans/{planId}/edit", $"/plans/{planId}/edit?step=review" })
        {
            var response = await manager.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var refusal = await manager.GetAsync(response.Headers.Location);
            var html = await refusal.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, refusal.StatusCode);
            Assert.Contains(notAllowed, html);
            Assert.DoesNotContain("Aroma wizard plan", html);
        }
    }

    private async Task<HttpClient> EnglishClientAsync(string email)
    {
        var client = await app.SignedInClientAsync(email);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }

    private async Task<Guid> AddDraftPlanAsync(string merchantCode, string name)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode);
        var plan = MembershipPlan.Create(db.Scope.MerchantId!.Value, name, null, "CNY", DateTimeOffset.UtcNow);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan.Id;
    }
}
