using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Tests.Domain.Coupons;

namespace MerchantConsole.Tests.Features.Coupons;

public sealed class CouponBatchIssuerTests
{
    [Fact]
    public async Task ABatchIssuesUpToTheBudgetAndARerunIssuesNothingTwice()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(budget: 20);
        var grant = Guid.NewGuid();
        var members = (await harness.MembersAsync(30)).Select(id => new BatchMember(id, IssueKeys.Grant(grant))).ToList();
        var batches = new CouponBatchIssuer(harness.Contexts(), harness.Random);

        var first = await batches.IssueAsync(couponActivityId, members, harness.Now);
        var rerun = await batches.IssueAsync(couponActivityId, members, harness.Now);

        Assert.Equal((20, 0, 10), (first.Issued.Count, first.AlreadyIssued, first.Refused.Count));
        Assert.All(first.Refused, r => Assert.Equal("Coupon.BudgetExhausted", r.Refusal.Code));
        Assert.Equal((0, 20, 10), (rerun.Issued.Count, rerun.AlreadyIssued, rerun.Refused.Count));
        var coupons = await harness.AllAsync<Coupon>();
        Assert.Equal(20, coupons.Count);
        Assert.Equal(20, coupons.Select(c => c.Code).Distinct().Count());
        Assert.Equal(20, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(20, Assert.Single(await harness.AllAsync<CouponDailyCount>()).Issued);
    }

    [Fact]
    public async Task ABatchKeepsThePerMemberLimitAndGivesBackWhatItReservedButDidNotIssue()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { TotalStock = 50, PerMemberLimit = 1 }, budget: 100);
        var member = await harness.MemberAsync();
        var other = await harness.MemberAsync();
        var batches = new CouponBatchIssuer(harness.Contexts(), harness.Random);

        var result = await batches.IssueAsync(couponActivityId,
            [new BatchMember(member, "grant:a"), new BatchMember(member, "grant:b"), new BatchMember(other, "grant:a")], harness.Now);

        Assert.Equal(2, result.Issued.Count);
        Assert.Equal("Coupon.MemberLimitReached", Assert.Single(result.Refused).Refusal.Code);
        Assert.Equal(2, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(2, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
    }

    [Fact]
    public async Task ConcurrentBatchesNeverIssueMoreThanTheStock()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { TotalStock = 25 }, budget: 1000);
        var members = await harness.MembersAsync(50);

        var results = await Task.WhenAll(members.Chunk(10).Select(batch => Task.Run(() =>
            new CouponBatchIssuer(harness.Contexts(), harness.Random).IssueAsync(couponActivityId,
                [.. batch.Select(id => new BatchMember(id, "grant:x"))], harness.Now))));

        Assert.Equal(25, results.Sum(r => r.Issued.Count));
        Assert.Equal(25, (await harness.AllAsync<Coupon>()).Count);
        Assert.Equal(25, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
    }
}
