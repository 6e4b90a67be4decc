using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using MerchantConsole.Tests.Domain.Coupons;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Coupons;

public sealed class CouponIssuerTests
{
    [Fact]
    public async Task FiftyConcurrentClaimsAgainstAStockOfTenIssueExactlyTen()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { TotalStock = 10 }, budget: 1000);
        var members = await harness.MembersAsync(50);

        var results = await Task.WhenAll(members.Select(member => Task.Run(() =>
            harness.Issuer().IssueAsync(new IssueRequest(couponActivityId, member, $"grant:{Guid.NewGuid():N}"), harness.Now))));

        Assert.Equal(10, results.Count(r => r.Outcome == IssueOutcome.Issued));
        Assert.All(results.Where(r => r.Outcome != IssueOutcome.Issued), r => Assert.Equal("Coupon.OutOfStock", r.Refusal!.Code));
        Assert.Equal(10, (await harness.AllAsync<Coupon>()).Count);
        Assert.Equal(10, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
        Assert.Equal(10, (await harness.CouponActivityAsync(couponActivityId)).Issued);
    }

    [Fact]
    public async Task FiftyConcurrentClaimsAgainstABudgetOfTenIssueExactlyTen()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(budget: 10);
        var members = await harness.MembersAsync(50);

        var results = await Task.WhenAll(members.Select(member => Task.Run(() =>
            harness.Issuer().IssueAsync(new IssueRequest(couponActivityId, member, $"grant:{Guid.NewGuid():N}"), harness.Now))));

        Assert.Equal(10, results.Count(r => r.Outcome == IssueOutcome.Issued));
        Assert.All(results.Where(r => r.Outcome != IssueOutcome.Issued), r => Assert.Equal("Coupon.BudgetExhausted", r.Refusal!.Code));
        Assert.Equal(10, (await harness.AllAsync<Coupon>()).Count);
        Assert.Equal(10, (await harness.CouponActivityAsync(couponActivityId)).Issued);
    }

    [Fact]
    public async Task IssuingWithTheSameKeyTwiceGivesTheMemberOneCoupon()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync();
        var member = await harness.MemberAsync();
        var request = new IssueRequest(couponActivityId, member, IssueKeys.Join(Guid.NewGuid()));

        var first = await harness.Issuer().IssueAsync(request, harness.Now);
        var again = await harness.Issuer().IssueAsync(request, harness.Now);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => harness.Issuer().IssueAsync(request, harness.Now))));

        Assert.Equal(IssueOutcome.Issued, first.Outcome);
        Assert.Equal(IssueOutcome.AlreadyIssued, again.Outcome);
        Assert.Equal(first.Coupon!.Id, again.Coupon!.Id);
        Assert.All(concurrent, r => Assert.Equal(first.Coupon.Id, r.Coupon!.Id));
        Assert.Single(await harness.AllAsync<Coupon>());
        Assert.Equal(1, (await harness.CouponActivityAsync(couponActivityId)).Issued);
    }

    [Fact]
    public async Task ConcurrentFirstClaimsOfOneKeyIssueOneCoupon()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync();
        var request = new IssueRequest(couponActivityId, await harness.MemberAsync(), IssueKeys.Monthly(Guid.NewGuid(), 2026, 12));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => harness.Issuer().IssueAsync(request, harness.Now))));

        Assert.Single(results, r => r.Outcome == IssueOutcome.Issued);
        Assert.Equal(19, results.Count(r => r.Outcome == IssueOutcome.AlreadyIssued));
        Assert.Single(await harness.AllAsync<Coupon>());
        Assert.Equal(1, (await harness.CouponActivityAsync(couponActivityId)).Issued);
    }

    [Fact]
    public async Task AMemberGetsNoMoreCouponsOfATemplateThanItsPerMemberLimitEvenConcurrently()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { PerMemberLimit = 2 });
        var member = await harness.MemberAsync();
        var other = await harness.MemberAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            harness.Issuer().IssueAsync(new IssueRequest(couponActivityId, member, $"grant:{i}"), harness.Now))));
        var someoneElse = await harness.Issuer().IssueAsync(new IssueRequest(couponActivityId, other, "grant:0"), harness.Now);

        Assert.Equal(2, results.Count(r => r.Outcome == IssueOutcome.Issued));
        Assert.All(results.Where(r => r.Outcome != IssueOutcome.Issued), r => Assert.Equal("Coupon.MemberLimitReached", r.Refusal!.Code));
        Assert.Equal(IssueOutcome.Issued, someoneElse.Outcome);
        // A refused issue gives back the budget and stock it took.
        Assert.Equal(3, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(3, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
    }

    [Fact]
    public async Task ACouponActivityThatIsNotEffectiveOrIsAnotherMerchantsIssuesNothing()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var template = await harness.Templates().CreateAsync("Draft only", CouponTestTerms.CashOff(), publish: true);
        var activity = await harness.Activities().CreateAsync("Not yet", harness.Now.AddDays(-1), null);
        var pending = (await harness.Activities().AddCouponActivityAsync(activity.Id!.Value, template.VersionId!.Value, IssuingRule.OnJoin, 10)).VersionId!.Value;
        var othersActivity = await harness.EffectiveCouponActivityAsync(merchantId: harness.OtherMerchant.Id);
        var member = await harness.MemberAsync();

        var notEffective = await harness.Issuer().IssueAsync(new IssueRequest(pending, member, "join:x"), harness.Now);
        var others = await harness.Issuer().IssueAsync(new IssueRequest(othersActivity, member, "join:x"), harness.Now);

        Assert.Equal("Coupon.ActivityNotEffective", notEffective.Refusal!.Code);
        Assert.Equal("Coupon.ActivityNotFound", others.Refusal!.Code);
        Assert.Empty(await harness.AllAsync<Coupon>());
    }

    [Fact]
    public async Task ACodeThatCollidesWithAnExistingOneIsDrawnAgain()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync();
        harness.Random = new ScriptedCodeRandom([.. Enumerable.Repeat(0, 10)]);
        var first = await harness.IssueAsync(couponActivityId);
        harness.Random = new ScriptedCodeRandom([.. Enumerable.Repeat(0, 10)]);

        var second = await harness.IssueAsync(couponActivityId);

        Assert.Equal("2222222222", first.Code);
        Assert.NotEqual(first.Code, second.Code);
        Assert.Equal(10, second.Code.Length);
    }

    [Fact]
    public async Task AnIssuedCouponIsValidUntilTheEndOfItsLastDayInTheMerchantsZoneAndCountedOnItsDay()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { Validity = CouponValidity.AfterIssue(3) });

        var coupon = await harness.IssueAsync(couponActivityId); // 2026-11-27 16:00 in Shanghai

        Assert.Equal(harness.Now, coupon.ValidFrom);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 16, 0, 0, TimeSpan.Zero), coupon.ValidUntil);
        Assert.Equal(CouponStatus.Issued, (await harness.CouponAsync(coupon.Id)).Status);
        var day = Assert.Single(await harness.AllAsync<CouponDailyCount>());
        Assert.Equal((new DateOnly(2026, 11, 27), 1, 0), (day.Day, day.Issued, day.Redeemed));
    }

    [Fact]
    public async Task IssuingInsideTheCallersTransactionGivesBackWhatARefusalTookWithoutUndoingTheCaller()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync(CouponTestTerms.CashOff() with { PerMemberLimit = 1 });
        var member = await harness.MemberAsync();
        var other = await harness.MemberAsync();
        await harness.IssueAsync(couponActivityId, member);

        await using (var db = await harness.Contexts().CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var refused = await harness.Issuer().IssueInAsync(db, new IssueRequest(couponActivityId, member, "purchase:1"), harness.Now);
            var issued = await harness.Issuer().IssueInAsync(db, new IssueRequest(couponActivityId, other, "purchase:1"), harness.Now);
            await transaction.CommitAsync();
            Assert.Equal("Coupon.MemberLimitReached", refused.Refusal!.Code);
            Assert.Equal(IssueOutcome.Issued, issued.Outcome);
        }

        Assert.Equal(2, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(2, (await harness.AllAsync<Coupon>()).Count);
    }

    [Fact]
    public async Task ACouponForAMembershipThatDoesNotExistIsRefusedByTheDatabase()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync();

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() =>
            harness.Issuer().IssueAsync(new IssueRequest(couponActivityId, Guid.NewGuid(), "grant:nobody"), harness.Now));

        Assert.Equal(787, Assert.IsType<SqliteException>(refused.InnerException).SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_FOREIGNKEY
        Assert.Empty(await harness.AllAsync<Coupon>());
        // The transaction rolled back the budget and stock it took.
        Assert.Equal(0, (await harness.CouponActivityAsync(couponActivityId)).Issued);
        Assert.Equal(0, Assert.Single(await harness.AllAsync<CouponTemplateVersion>()).Issued);
    }

    [Fact]
    public async Task TheBulkWriterCannotInsertACouponForAMembershipThatDoesNotExist()
    {
        await using var harness = await CouponHarness.CreateAsync();
        var couponActivityId = await harness.EffectiveCouponActivityAsync();
        var member = await harness.MemberAsync();
        var couponActivity = await harness.CouponActivityAsync(couponActivityId);
        var version = Assert.Single(await harness.AllAsync<CouponTemplateVersion>());
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        Coupon New(Guid membershipId, string code) =>
            Coupon.Issue(harness.Merchant.Id, couponActivity, version, membershipId, null, "grant:bulk", code, zone, harness.Now);

        await using (var db = await harness.Contexts().CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            // Reported as EF's save reports it, so the callers' lost-race handling sees the same exception whichever path wrote.
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => CouponBulkWriter.InsertNewAsync(db, [New(Guid.NewGuid(), "BULKNOBODY")]));
            Assert.IsType<SqliteException>(refused.InnerException);
        }
        await using (var db = await harness.Contexts().CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await CouponBulkWriter.InsertNewAsync(db, [New(member, "BULKMEMBER")]);
            await transaction.CommitAsync();
        }

        Assert.Equal(member, Assert.Single(await harness.AllAsync<Coupon>()).MembershipId);
    }
}
