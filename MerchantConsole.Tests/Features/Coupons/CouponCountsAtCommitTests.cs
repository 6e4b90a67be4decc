using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Tests.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Coupons;

/// <summary>The fulfilment's coupon counters, taken as it issues and written just before its commit.</summary>
public sealed class CouponCountsAtCommitTests
{
    [Fact]
    public async Task WhatIsTakenCountsAgainstTheRoomLeftAndIsWrittenOnlyAtTheEnd()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(budget: 10);
        var versionId = Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Id;
        var counts = new CouponCountsAtCommit();
        await using var db = await harness.Contexts().CreateDbContextAsync();

        var first = await counts.ReserveAsync(db, couponActivityId, versionId, 6, CancellationToken.None);
        var second = await counts.ReserveAsync(db, couponActivityId, versionId, 6, CancellationToken.None);
        counts.GiveBack(couponActivityId, versionId, 1);
        counts.CountDay(harness.Merchant.Id, couponActivityId, new DateOnly(2026, 11, 30), 9);
        var issuedBeforeTheEnd = (await harness.CouponActivityAsync(couponActivityId)).Issued;
        await counts.WriteAsync(db, CancellationToken.None);
        await db.SaveChangesAsync();

        Assert.Equal((6, null), (first.Count, first.Shortage?.Code));
        Assert.Equal((4, "Coupon.BudgetExhausted"), (second.Count, second.Shortage?.Code));
        Assert.Equal(0, issuedBeforeTheEnd);
        Assert.Equal(9, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(9, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
        var day = Assert.Single(await harness.AllAsync<CouponDailyCount>());
        Assert.Equal((new DateOnly(2026, 11, 30), 9), (day.Day, day.Issued));
    }

    [Theory]
    [InlineData("budget")]
    [InlineData("stock")]
    public async Task RoomAnotherTransactionTookAfterTheReadFailsTheWriteAsALostRaceAndChangesNothing(string takenFrom)
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { TotalStock = 10 }, budget: 10);
        var versionId = Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Id;
        var counts = new CouponCountsAtCommit();
        await using var db = await harness.Contexts().CreateDbContextAsync();
        Assert.Equal(6, (await counts.ReserveAsync(db, couponActivityId, versionId, 6, CancellationToken.None)).Count);

        await using (var other = await harness.Contexts().CreateDbContextAsync())
        {
            if (takenFrom == "budget")
                await other.Set<CouponActivity>().Where(c => c.Id == couponActivityId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Issued, 8));
            else
                await other.Set<CouponTemplateVersion>().Where(v => v.Id == versionId).ExecuteUpdateAsync(u => u.SetProperty(v => v.Issued, 8));
        }
        await using (var transaction = await db.Database.BeginTransactionAsync())
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => counts.WriteAsync(db, CancellationToken.None));

        // The caller's transaction is rolled back: the budget's update, when it went through before the stock's failed, is undone.
        Assert.Equal(takenFrom == "budget" ? 8 : 0, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(takenFrom == "stock" ? 8 : 0, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
    }
}
