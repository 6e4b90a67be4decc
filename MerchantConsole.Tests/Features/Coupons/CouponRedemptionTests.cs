using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Tests.Domain.Coupons;

namespace MerchantConsole.Tests.Features.Coupons;

public sealed class CouponRedemptionTests
{
    // The harness clock: Friday 2026-11-27 16:00 in Shanghai.

    [Fact]
    public async Task FiftyConcurrentRedemptionsOfOneCodeSucceedOnce()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var coupon = await harness.IssueAsync(await harness.EffectiveCouponActivityAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            harness.Redemption(actor: $"clerk{i}").RedeemAsync(coupon.Code, 12000, "SH-01", harness.Now, $"clerk{i}"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("Coupon.AlreadyRedeemed", r.Refusal!.Code));
        Assert.Equal(CouponStatus.Redeemed, (await harness.CouponAsync(coupon.Id)).Status);
        Assert.Equal(1, (await harness.CouponActivityAsync(coupon.CouponActivityId)).Redeemed);
    }

    [Fact]
    public async Task ARedemptionTakesTheDiscountAndIsInTheAuditTrailWithWhoWhereAndTheOrder()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var coupon = await harness.IssueAsync(await harness.EffectiveCouponActivityAsync());

        var result = await harness.Redemption(actor: "manager@shop.test").RedeemAsync(" " + coupon.Code.ToLowerInvariant() + " ", 12000, "sh-01", harness.Now, "manager@shop.test");

        Assert.True(result.Succeeded, result.Refusal?.English);
        Assert.Equal(2000, result.DiscountMinorUnits);
        var stored = await harness.CouponAsync(coupon.Id);
        Assert.Equal(("SH-01", 12000L, "manager@shop.test"), (stored.RedeemedStoreCode!, stored.RedeemedOrderMinorUnits!.Value, stored.RedeemedBy!));
        var audit = Assert.Single(await harness.AllAsync<AuditEntry>(), a => a.EntityType == nameof(Coupon) && a.Action == "Modified");
        Assert.Equal("manager@shop.test", audit.UserName);
        Assert.Equal(coupon.Id.ToString(), audit.AggregateId);
        var changes = audit.ReadChanges();
        Assert.Contains(changes, c => c is { Field: "Status", Old: "Issued", New: "Redeemed" });
        Assert.Contains(changes, c => c is { Field: "RedeemedOrderMinorUnits", New: "12000", Kind: "Money:CNY" });
        Assert.Contains(changes, c => c is { Field: "RedeemedStoreCode", New: "SH-01" });
        var day = Assert.Single(await harness.AllAsync<CouponDailyCount>());
        Assert.Equal(1, day.Redeemed);
    }

    [Fact]
    public async Task EachReasonACouponCannotBeUsedIsRefusedWithItsCode()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var plain = await harness.EffectiveCouponActivityAsync();
        var delayed = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { Validity = CouponValidity.AfterIssue(5, delayDays: 1) });
        var weekdays = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { Weekdays = UsableWeekdays.Weekend });
        var lunch = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { Hours = UsableHours.Between(new(11, 0), new(14, 0)) });
        var oneStore = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { StoreCodes = ["BJ-01"] });
        var others = await harness.EffectiveCouponActivityAsync(merchantId: harness.OtherMerchant.Id);
        var redeemed = await harness.IssueAsync(plain);
        Assert.True((await harness.Redemption().RedeemAsync(redeemed.Code, 12000, "SH-01", harness.Now, "clerk")).Succeeded);
        var revoked = await harness.IssueAsync(plain);
        Assert.True((await harness.Redemption().RevokeAsync(revoked.Id, "issued by mistake", harness.Now, "admin")).Succeeded);
        var othersCoupon = (await new CouponIssuer(harness.Contexts(harness.OtherMerchant.Id), harness.Random)
            .IssueAsync(new IssueRequest(others, await harness.MemberAsync(harness.OtherMerchant.Id), "grant:o"), harness.Now)).Coupon!;

        async Task<string?> Refusal(string code, long amount = 12000, string store = "SH-01", DateTimeOffset? at = null) =>
            (await harness.Redemption().RedeemAsync(code, amount, store, at ?? harness.Now, "clerk")).Refusal?.Code;

        Assert.Equal("Coupon.NotFound", await Refusal("NOSUCHCODE"));
        Assert.Equal("Coupon.NotFound", await Refusal(othersCoupon.Code));
        Assert.Equal("Coupon.AlreadyRedeemed", await Refusal(redeemed.Code));
        Assert.Equal("Coupon.Revoked", await Refusal(revoked.Code));
        Assert.Equal("Coupon.NotYetValid", await Refusal((await harness.IssueAsync(delayed)).Code));
        Assert.Equal("Coupon.NotUsableToday", await Refusal((await harness.IssueAsync(weekdays)).Code));
        Assert.Equal("Coupon.OutsideUsableHours", await Refusal((await harness.IssueAsync(lunch)).Code));
        Assert.Equal("Coupon.StoreNotAllowed", await Refusal((await harness.IssueAsync(oneStore)).Code));
        Assert.Equal("Coupon.BelowMinimumSpend", await Refusal((await harness.IssueAsync(plain)).Code, amount: 9999));
        Assert.Equal("Coupon.Expired", await Refusal((await harness.IssueAsync(plain)).Code, at: harness.Now.AddDays(31)));
        Assert.Equal(CouponStatus.Issued, (await harness.CouponAsync(othersCoupon.Id)).Status);
    }

    [Fact]
    public async Task TheLookupShowsTheCouponItsMemberTermsAndWhyItCannotBeUsed()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var member = await harness.MemberAsync();
        var coupon = await harness.IssueAsync(await harness.EffectiveCouponActivityAsync(), member);

        var usable = await harness.Redemption().LookupAsync(coupon.Code.ToLowerInvariant(), harness.Now);
        var later = await harness.Redemption().LookupAsync(coupon.Code, harness.Now.AddDays(40));
        var others = await harness.Redemption(harness.OtherMerchant.Id).LookupAsync(coupon.Code, harness.Now);

        Assert.Null(usable.Refusal);
        Assert.Equal(member, usable.Coupon!.Coupon.MembershipId);
        Assert.Equal(10000, usable.Coupon.Terms.MinimumSpendMinorUnits);
        Assert.Equal(("满100减20", 1, "Spring"), (usable.Coupon.TemplateName, usable.Coupon.TemplateVersion, usable.Coupon.ActivityName));
        Assert.Equal(new DateOnly(2026, 12, 26), usable.Coupon.LastValidDay);
        Assert.Equal("Coupon.Expired", later.Refusal!.Code);
        Assert.Null(others.Coupon);
        Assert.Equal("Coupon.NotFound", others.Refusal!.Code);
    }

    [Fact]
    public async Task ARedemptionReversedWithinTheWindowPutsTheCouponBackAndTheCountsDownWithTheReasonAudited()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var coupon = await harness.IssueAsync(await harness.EffectiveCouponActivityAsync());
        Assert.True((await harness.Redemption().RedeemAsync(coupon.Code, 12000, "SH-01", harness.Now, "clerk")).Succeeded);
        harness.Database.Clock.Advance(TimeSpan.FromHours(23));

        var reversed = await harness.Redemption(actor: "manager@shop.test").ReverseAsync(coupon.Id, "customer returned the order", harness.Now, "manager@shop.test");

        Assert.True(reversed.Succeeded, reversed.Refusal?.English);
        var stored = await harness.CouponAsync(coupon.Id);
        Assert.Equal((CouponStatus.Issued, "customer returned the order", "manager@shop.test"), (stored.Status, stored.ReversalReason!, stored.ReversedBy!));
        Assert.Null(stored.RedeemedAt);
        Assert.Equal(0, (await harness.CouponActivityAsync(coupon.CouponActivityId)).Redeemed);
        Assert.Equal(0, Assert.Single(await harness.AllAsync<CouponDailyCount>()).Redeemed);
        var audit = (await harness.AllAsync<AuditEntry>()).Where(a => a.EntityType == nameof(Coupon) && a.Action == "Modified").OrderBy(a => a.Id).Last();
        Assert.Equal("manager@shop.test", audit.UserName);
        Assert.Contains(audit.ReadChanges(), c => c is { Field: "ReversalReason", New: "customer returned the order" });
        Assert.Contains(audit.ReadChanges(), c => c is { Field: "Status", Old: "Redeemed", New: "Issued" });
        Assert.True((await harness.Redemption().RedeemAsync(coupon.Code, 12000, "SH-01", harness.Now, "clerk")).Succeeded);
    }

    [Fact]
    public async Task ARedemptionCannotBeReversedAfterTheConfiguredWindow()
    {
        await using var harness = await CouponHarness.CreateAsync();
        harness.Options.ReversalWindow = TimeSpan.FromHours(2);
        var coupon = await harness.IssueAsync(await harness.EffectiveCouponActivityAsync());
        Assert.True((await harness.Redemption().RedeemAsync(coupon.Code, 12000, "SH-01", harness.Now, "clerk")).Succeeded);
        harness.Database.Clock.Advance(TimeSpan.FromHours(3));

        var reversed = await harness.Redemption().ReverseAsync(coupon.Id, "too late", harness.Now, "clerk");

        Assert.Equal("Coupon.ReversalWindowPassed", reversed.Refusal!.Code);
        Assert.Equal(CouponStatus.Redeemed, (await harness.CouponAsync(coupon.Id)).Status);
        Assert.Equal(1, (await harness.CouponActivityAsync(coupon.CouponActivityId)).Redeemed);
    }

    [Fact]
    public async Task TheExpiryJobExpiresIssuedCouponsPastTheirValidityInBatchesAndCountsThem()
    {
        await using var harness = await CouponHarness.CreateAsync();
        harness.Options.ExpiryBatchSize = 2;
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { Validity = CouponValidity.AfterIssue(1) });
        var coupons = new List<Coupon>();
        for (var i = 0; i < 5; i++)
            coupons.Add(await harness.IssueAsync(couponActivityId));
        Assert.True((await harness.Redemption().RedeemAsync(coupons[0].Code, 12000, "SH-01", harness.Now, "clerk")).Succeeded);
        var later = await harness.IssueAsync(await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { Validity = CouponValidity.AfterIssue(10) }));

        Assert.Equal(0, await harness.ExpiryJob().ExpireAsync(CancellationToken.None));
        harness.Database.Clock.Advance(TimeSpan.FromHours(8)); // past midnight in Shanghai
        var expired = await harness.ExpiryJob().ExpireAsync(CancellationToken.None);
        var again = await harness.ExpiryJob().ExpireAsync(CancellationToken.None);

        Assert.Equal((4, 0), (expired, again));
        Assert.Equal(CouponStatus.Redeemed, (await harness.CouponAsync(coupons[0].Id)).Status);
        Assert.All(coupons.Skip(1), c => Assert.Equal(CouponStatus.Expired, harness.CouponAsync(c.Id).Result.Status));
        Assert.Equal(CouponStatus.Issued, (await harness.CouponAsync(later.Id)).Status);
        var figures = await harness.CouponActivityAsync(couponActivityId);
        Assert.Equal((5, 1, 4), (figures.Issued, figures.Redeemed, figures.Expired));
    }

    [Fact]
    public async Task TheActivityFiguresComeFromTheCountersAndTheDailySeries()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { TotalStock = 100 }, budget: 50);
        var first = await harness.IssueAsync(couponActivityId);
        var second = await harness.IssueAsync(couponActivityId);
        Assert.True((await harness.Redemption().RedeemAsync(first.Code, 12000, "SH-01", harness.Now, "clerk")).Succeeded);
        Assert.True((await harness.Redemption().RevokeAsync(second.Id, "duplicate", harness.Now, "admin")).Succeeded);
        var activity = (await harness.Activities().FindAsync((await harness.CouponActivityAsync(couponActivityId)).ActivityId))!;

        var figures = Assert.Single(await harness.Activities().FiguresAsync(activity.Id));
        var daily = await harness.Activities().DailyAsync(couponActivityId, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        var othersView = await harness.Activities(harness.OtherMerchant.Id).FiguresAsync(activity.Id);

        Assert.Equal((50, 100, 98, 2, 1, 0, 1), (figures.Budget, figures.TotalStock!.Value, figures.StockLeft!.Value, figures.Issued, figures.Redeemed, figures.Expired, figures.Revoked));
        Assert.Equal(0.5, figures.RedemptionRate);
        Assert.Equal([new DailyCouponFigures(new DateOnly(2026, 11, 27), 2, 1)], daily);
        Assert.Empty(othersView);
    }
}
