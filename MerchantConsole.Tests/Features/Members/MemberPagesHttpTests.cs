using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>The member pages as the real app serves them (prerendered), with the demo members the app seeds.</summary>
[Collection(AppCollection.Name)]
public sealed class MemberPagesHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnotherMerchantsMemberIdInTheUrlAnswers404NotFoundAndNothingOfTheMember()
    {
        var (memberId, name) = await DemoMemberAsync("aroma-coffee");
        var orchard = await EnglishClientAsync("admin@orchard.demo");
        var aroma = await EnglishClientAsync("admin@aroma.demo");

        var response = await orchard.GetAsync($"/members/{memberId}");
        var html = await response.Content.ReadAsStringAsync();
        var own = await aroma.GetAsync($"/members/{memberId}");
        var ownHtml = await own.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", html);
        Assert.DoesNotContain(name, html);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains(name, ownHtml);
        Assert.Contains("data-testid=\"member-card-number\"", ownHtml);
    }

    [Fact]
    public async Task AStoreManagerLooksMembersUpButCannotEnrol()
    {
        var (memberId, name) = await DemoMemberAsync("aroma-coffee");
        var manager = await EnglishClientAsync("store@aroma.demo");
        var admin = await EnglishClientAsync("admin@aroma.demo");

        var list = await manager.GetAsync("/members");
        var listHtml = await list.Content.ReadAsStringAsync();
        var page = await manager.GetAsync($"/members/{memberId}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("data-testid=\"members-title\"", listHtml);
        Assert.Contains("data-testid=\"nav-members\"", listHtml);
        Assert.DoesNotContain("data-testid=\"member-enrol\"", listHtml);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(name, await page.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"member-enrol\"", await admin.GetStringAsync("/members"));
    }

    [Fact]
    public async Task TheMemberPageShowsTierHistoryToStoreManagersButOnlyAdminsMayChangeTheTier()
    {
        var (memberId, _) = await DemoMemberAsync("aroma-coffee");
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee", "admin@aroma.demo"))
        {
            // A floor at the member's own tier: recorded in the history, the tier itself unchanged for the other tests.
            var membership = await db.Memberships.SingleAsync(m => m.Id == memberId);
            var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == membership.PlanId);
            db.TierChanges.Add(membership.OverrideTier(TierLadder.Of(plan), TierOverrideKind.Floor, membership.TierId, null,
                "Loyal since the shop opened", "admin@aroma.demo", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }
        var manager = await EnglishClientAsync("store@aroma.demo");
        var admin = await EnglishClientAsync("admin@aroma.demo");

        var managerHtml = await manager.GetStringAsync($"/members/{memberId}");
        var adminHtml = await admin.GetStringAsync($"/members/{memberId}");

        Assert.Contains("data-testid=\"member-tier-history\"", managerHtml);
        Assert.Contains("Loyal since the shop opened", managerHtml);
        Assert.Contains("Staff override", managerHtml);
        Assert.Contains("data-testid=\"preview-face\"", managerHtml);
        Assert.DoesNotContain("data-testid=\"member-change-tier\"", managerHtml);
        Assert.Contains("data-testid=\"member-change-tier\"", adminHtml);
    }

    [Theory]
    [InlineData("en", "Members")]
    [InlineData("zh-CN", "会员")]
    public async Task TheMemberListSpeaksTheUsersLanguage(string language, string title)
    {
        var admin = await app.SignedInClientAsync("admin@orchard.demo");
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var html = await admin.GetStringAsync("/members");

        Assert.Matches($"data-testid=\"members-title\"[^>]*>{title}<", html);
    }

    [Fact]
    public async Task DemoMembersHoldCardsOfTheDemoPlansAndSeedingAgainAddsNone()
    {
        await using (var db = app.Factory.CreateUnscopedContext())
        {
            var before = await db.Memberships.IgnoreQueryFilters().CountAsync();
            await app.Factory.WithScopeAsync(async services =>
            {
                await services.GetRequiredService<DemoData>().SeedAsync();
                return true;
            });
            var after = await db.Memberships.IgnoreQueryFilters().AsNoTracking().ToListAsync();
            var plans = await db.MembershipPlans.IgnoreQueryFilters().AsNoTracking().ToListAsync();

            Assert.Equal(before, after.Count);
            foreach (var code in new[] { "aroma-coffee", "fresh-orchard" })
            {
                var merchantId = await db.Merchants.Where(m => m.Code == code).Select(m => m.Id).SingleAsync();
                var theirs = after.Where(m => m.MerchantId == merchantId).ToList();
                Assert.True(theirs.Count >= 2, $"{code} has {theirs.Count} demo members.");
                Assert.All(theirs, m => Assert.Equal(PlanStatus.Active, plans.Single(p => p.Id == m.PlanId).Status));
                Assert.Equal(theirs.Count, theirs.Select(m => m.CardNumber).Distinct().Count());
            }
        }
    }

    private async Task<(Guid Id, string Name)> DemoMemberAsync(string merchantCode)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode, "member tests");
        return await (from m in db.Memberships
                      where m.Status == MembershipStatus.Active
                      join c in db.Customers on m.CustomerId equals c.Id
                      orderby c.Phone
                      select new ValueTuple<Guid, string>(m.Id, c.Name)).FirstAsync();
    }

    private async Task<HttpClient> EnglishClientAsync(string email)
    {
        var client = await app.SignedInClientAsync(email);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }
}
