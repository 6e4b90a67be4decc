using System.Net;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Plans;

/// <summary>The plan pages as the real app serves them (prerendered), for two merchants and for roles without access.</summary>
[Collection(AppCollection.Name)]
public sealed class PlanPagesHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnotherMerchantsPlanIdInTheUrlShowsNotFoundAndNothingOfThePlan()
    {
        var planId = await AddDraftPlanAsync("aroma-coffee", "Aroma secret plan");
        var orchard = await app.SignedInClientAsync("admin@orchard.demo");
        var aroma = await app.SignedInClientAsync("admin@aroma.demo");

        foreach (var url in new[] { $"/plans/{planId}", $"/plans/{planId}/edit", $"/plans/{planId}/edit?step=review" })
        {
            var html = await orchard.GetStringAsync(url);
            Assert.Contains("data-testid=\"plan-not-found\"", html);
            Assert.DoesNotContain("Aroma secret plan", html);
        }
        var own = await aroma.GetStringAsync($"/plans/{planId}");
        Assert.Contains("Aroma secret plan", own);
        Assert.DoesNotContain("data-testid=\"plan-not-found\"", own);
    }

    [Fact]
    public async Task AStoreManagerCannotOpenThePlanPages()
    {
        var planId = await AddDraftPlanAsync("aroma-coffee", "Aroma manager plan");
        var manager = await app.SignedInClientAsync("store@aroma.demo");

        foreach (var url in new[] { "/plans", "/plans/new", $"/plans/{planId}" })
        {
            var response = await manager.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("AccessDenied", response.Headers.Location?.ToString());
        }
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
