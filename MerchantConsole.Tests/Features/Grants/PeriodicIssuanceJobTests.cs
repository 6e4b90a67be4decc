using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Grants;

namespace MerchantConsole.Tests.Features.Grants;

public sealed class PeriodicIssuanceJobTests
{
    [Fact]
    public async Task AMonthlyCouponActivityIssuesToItsAudienceOnItsDayOncePerMonthEvenWhenRunTwice()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        var silver = await harness.EnrolAsync(plan, 12);
        await harness.EnrolAsync(plan, 2, tier: "Gold", phoneStart: 100);
        // The clock is 2026-11-27 16:00 in Shanghai: day 27.
        var (_, couponActivityId) = await harness.CouponActivityAsync(rule: IssuingRule.MonthlyOn(27));
        var benefitVersion = Guid.NewGuid();
        harness.Audience = new FixedAudience(couponActivityId, new CouponAudience(plan.Id, [plan.Tiers.Single(t => t.Name == "Silver").Id], benefitVersion));

        var first = await harness.PeriodicJob().RunAsync(CancellationToken.None);
        var second = await harness.PeriodicJob().RunAsync(CancellationToken.None);

        Assert.Equal((12, 0), (first, second));
        var coupons = await harness.AllAsync<Coupon>();
        Assert.Equal(silver.Order(), coupons.Select(c => c.MembershipId).Order());
        Assert.All(coupons, c => Assert.Equal((IssueKeys.Monthly(benefitVersion, 2026, 11), benefitVersion), (c.IssueKey, c.BenefitVersionId!.Value)));

        harness.Database.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await harness.PeriodicJob().RunAsync(CancellationToken.None));
        harness.Database.Clock.Advance(TimeSpan.FromDays(29)); // 27 December
        Assert.Equal(12, await harness.PeriodicJob().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ABirthdayCouponActivityIssuesOnlyToMembersBornTodayOncePerYear()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        var members = await harness.EnrolAsync(plan, 6, birthday: i => i % 3 == 0 ? new DateOnly(1990, 11, 27) : new DateOnly(1991, 5, 1));
        var (_, couponActivityId) = await harness.CouponActivityAsync(rule: IssuingRule.OnBirthday);
        var benefitVersion = Guid.NewGuid();
        harness.Audience = new FixedAudience(couponActivityId, new CouponAudience(plan.Id, [], benefitVersion));

        var first = await harness.PeriodicJob().RunAsync(CancellationToken.None);
        var second = await harness.PeriodicJob().RunAsync(CancellationToken.None);

        Assert.Equal((2, 0), (first, second));
        Assert.Equal(new[] { members[0], members[3] }.Order(), (await harness.AllAsync<Coupon>()).Select(c => c.MembershipId).Order());
        Assert.All(await harness.AllAsync<Coupon>(), c => Assert.Equal(IssueKeys.Birthday(benefitVersion, 2026), c.IssueKey));
    }

    [Fact]
    public async Task WithoutABoundBenefitTheJobsIssueNothing()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        await harness.EnrolAsync(plan, 2);
        await harness.CouponActivityAsync(rule: IssuingRule.MonthlyOn(27));

        Assert.Equal(0, await harness.PeriodicJob().RunAsync(CancellationToken.None));
        Assert.Empty(await harness.AllAsync<Coupon>());
    }

    private sealed class FixedAudience(Guid couponActivityId, CouponAudience audience) : ICouponActivityAudience
    {
        public Task<CouponAudience?> AudienceAsync(MerchantDbContext db, Guid id, CancellationToken ct) =>
            Task.FromResult(id == couponActivityId ? audience : null);
    }
}
