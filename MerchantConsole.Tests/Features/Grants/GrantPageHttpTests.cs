using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Grants;

/// <summary>The grant page and report as the real app serves them, with its Hangfire server running the grant job.</summary>
[Collection(AppCollection.Name)]
public sealed class GrantPageHttpTests(AppFixture app)
{
    [Fact]
    public async Task AGrantToADemoTierRunsThroughHangfireToOneHundredPercentAndAnotherMerchantGets404()
    {
        Guid merchantId, planId, tierId;
        int tierMembers;
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee", "grant tests"))
        {
            merchantId = db.Scope.MerchantId!.Value;
            var tier = await db.Memberships.Where(m => m.Status == MembershipStatus.Active).GroupBy(m => new { m.PlanId, m.TierId })
                .Select(g => new { g.Key.PlanId, g.Key.TierId, Count = g.Count() }).OrderByDescending(g => g.Count).FirstAsync();
            (planId, tierId, tierMembers) = (tier.PlanId, tier.TierId, tier.Count);
        }
        var (activityId, couponActivityId, grantId) = await app.Factory.WithScopeAsync(async services =>
        {
            services.GetRequiredService<MerchantScope>().UseMerchant(merchantId, "admin@aroma.demo");
            var clock = services.GetRequiredService<TimeProvider>();
            var template = await services.GetRequiredService<CouponTemplateService>().CreateAsync("Grant page test", CouponTestTerms.CashOff(), publish: true);
            var activities = services.GetRequiredService<ActivityService>();
            var activity = await activities.CreateAsync("Grant page test", clock.GetUtcNow().AddDays(-1), null);
            var added = await activities.AddCouponActivityAsync(activity.Id!.Value, template.VersionId!.Value, IssuingRule.ManualGrant, 1000);
            await activities.MakeEffectiveAsync(activity.Id!.Value);
            var started = await services.GetRequiredService<GrantService>().StartTierGrantAsync(activity.Id!.Value, added.VersionId!.Value, planId, tierId);
            Assert.True(started.Succeeded, started.Refusal?.English);
            return (activity.Id!.Value, added.VersionId!.Value, started.GrantId!.Value);
        });
        var url = $"/activities/{activityId}/coupon-activities/{couponActivityId}/grant";

        CouponGrant? grant = null;
        for (var wait = 0; wait < 120 && grant is not { IsFinished: true }; wait++)
        {
            await Task.Delay(500);
            await using var db = app.Factory.CreateUnscopedContext();
            grant = await db.Set<CouponGrant>().IgnoreQueryFilters().AsNoTracking().SingleAsync(g => g.Id == grantId);
        }
        var aroma = await app.SignedInClientAsync("admin@aroma.demo");
        var orchard = await app.SignedInClientAsync("admin@orchard.demo");
        var own = await aroma.GetAsync(url);
        var html = await own.Content.ReadAsStringAsync();
        var foreign = await orchard.GetAsync(url);
        var foreignReport = await orchard.GetAsync($"/grants/{grantId}/errors.csv");

        Assert.Equal((GrantStatus.Completed, tierMembers, tierMembers), (grant!.Status, grant.Issued, grant.Targeted));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("data-testid=\"grant-progress-bar\"", html);
        Assert.Contains("data-percent=\"100\"", html);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("data-testid=\"grant-confirm\"", await foreign.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, foreignReport.StatusCode);
    }
}
