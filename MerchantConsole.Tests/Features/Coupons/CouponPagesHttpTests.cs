using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Coupons;

/// <summary>The coupon pages as the real app serves them (prerendered), with the demo coupons the app seeds.</summary>
[Collection(AppCollection.Name)]
public sealed class CouponPagesHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnotherMerchantsTemplateAndActivityIdsAnswer404AndShowNothingOfThem()
    {
        var (templateId, templateName, activityId, activityName) = await DemoAsync("aroma-coffee");
        var orchard = await EnglishClientAsync("admin@orchard.demo");
        var aroma = await EnglishClientAsync("admin@aroma.demo");

        var template = await orchard.GetAsync($"/coupon-templates/{templateId}");
        var activity = await orchard.GetAsync($"/activities/{activityId}");
        var ownTemplate = await aroma.GetAsync($"/coupon-templates/{templateId}");
        var ownActivity = await aroma.GetAsync($"/activities/{activityId}");

        Assert.Equal(HttpStatusCode.NotFound, template.StatusCode);
        Assert.DoesNotContain(templateName, await template.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, activity.StatusCode);
        Assert.DoesNotContain(activityName, await activity.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ownTemplate.StatusCode);
        Assert.Contains(templateName, await ownTemplate.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ownActivity.StatusCode);
        var ownActivityHtml = await ownActivity.Content.ReadAsStringAsync();
        Assert.Contains(activityName, ownActivityHtml);
        Assert.Contains("data-testid=\"coupon-activity-grant\"", ownActivityHtml);
    }

    [Fact]
    public async Task AStoreManagerRedeemsButCannotOpenTheDesignerOrActivities()
    {
        var (templateId, _, activityId, _) = await DemoAsync("aroma-coffee");
        var manager = await EnglishClientAsync("store@aroma.demo");

        var redeem = await manager.GetAsync("/redeem");
        var redeemHtml = await redeem.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, redeem.StatusCode);
        Assert.Contains("data-testid=\"redeem-code\"", redeemHtml);
        Assert.Contains("data-testid=\"nav-redeem\"", redeemHtml);
        Assert.DoesNotContain("data-testid=\"nav-coupon-templates\"", redeemHtml);
        Assert.DoesNotContain("data-testid=\"nav-activities\"", redeemHtml);
        foreach (var url in new[] { "/coupon-templates", "/coupon-templates/new", $"/coupon-templates/{templateId}", "/activities", $"/activities/{activityId}" })
        {
            var response = await manager.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.Redirect)
                Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
            else
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("en", "Coupon templates", "Redeem coupon")]
    [InlineData("zh-CN", "券模版", "核销优惠券")]
    public async Task TheCouponPagesSpeakTheUsersLanguage(string language, string templates, string redeem)
    {
        var admin = await app.SignedInClientAsync("admin@orchard.demo");
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var list = await admin.GetStringAsync("/coupon-templates");
        var redeemPage = await admin.GetStringAsync("/redeem");

        Assert.Matches($"data-testid=\"coupon-templates-title\"[^>]*>{templates}<", list);
        Assert.Matches($"data-testid=\"redeem-title\"[^>]*>{redeem}<", redeemPage);
    }

    [Fact]
    public async Task EachDemoMerchantHasAPublishedTemplateAnEffectiveActivityAndIssuedCouponsAndSeedingAgainAddsNone()
    {
        await using var db = app.Factory.CreateUnscopedContext();
        // Only the seed's own coupons: other tests share the app and issue coupons meanwhile (joins, orders).
        var seeded = db.Coupons.IgnoreQueryFilters().Where(c => c.IssueKey.StartsWith("demo:"));
        var before = await seeded.CountAsync();
        await app.Factory.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<DemoData>().SeedAsync();
            return true;
        });

        Assert.Equal(before, await seeded.CountAsync());
        foreach (var code in new[] { "aroma-coffee", "fresh-orchard" })
        {
            var merchantId = await db.Merchants.Where(m => m.Code == code).Select(m => m.Id).SingleAsync();
            var templates = await db.CouponTemplates.IgnoreQueryFilters().Include(t => t.Versions).Where(t => t.MerchantId == merchantId).ToListAsync();
            Assert.Contains(templates, t => t.LatestPublished is not null);
            Assert.True(await db.Activities.IgnoreQueryFilters().AnyAsync(a => a.MerchantId == merchantId && a.Status == ActivityStatus.Effective));
            Assert.True(await db.Coupons.IgnoreQueryFilters().CountAsync(c => c.MerchantId == merchantId) >= 2);
        }
    }

    private async Task<(Guid TemplateId, string TemplateName, Guid ActivityId, string ActivityName)> DemoAsync(string merchantCode)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode, "coupon tests");
        var template = await db.CouponTemplates.OrderBy(t => t.CreatedAt).Select(t => new { t.Id, t.Name }).FirstAsync();
        var activity = await db.Activities.Where(a => a.Status == ActivityStatus.Effective).OrderBy(a => a.CreatedAt).Select(a => new { a.Id, a.Name }).FirstAsync();
        return (template.Id, template.Name, activity.Id, activity.Name);
    }

    private async Task<HttpClient> EnglishClientAsync(string email)
    {
        var client = await app.SignedInClientAsync(email);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }
}
