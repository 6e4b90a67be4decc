using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Orders.PaymentsHarness;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// The paths where PostgreSQL differs from SQLite (migrations and triggers, searches, unique violations under real
/// concurrency, the bulk writer, Hangfire's storage), through the real app on a PostgreSQL server. Skipped without one.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PostgreSqlAppTests(PostgreSqlAppFixture postgres) : IClassFixture<PostgreSqlAppFixture>
{
    [Fact]
    public async Task TheMigrationsApplyOnStartWithTheMemberCountTriggersAndLeaveNothingPending()
    {
        var app = postgres.Require();
        await using var db = app.Factory.CreateUnscopedContext();

        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_PostgreSqlInitial"));
        var triggers = await db.Database.SqlQueryRaw<string>(
            """SELECT tgname::text AS "Value" FROM pg_trigger WHERE tgrelid = '"Memberships"'::regclass AND NOT tgisinternal ORDER BY 1""").ToListAsync();
        Assert.Equal(["TR_Memberships_Counts_Delete", "TR_Memberships_Counts_Insert", "TR_Memberships_Counts_Update"], triggers);
    }

    [Fact]
    public async Task TheReadinessProbeReachesThePostgreSqlDatabase()
    {
        var app = postgres.Require();
        using var client = app.NewClient();

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task TheDemoDataSeedsThroughTheRealServicesAndTheTriggersCountedEveryMembership()
    {
        var app = postgres.Require();
        await using var db = app.Factory.Services.GetRequiredService<ProviderContextOptions>().CreateAcrossMerchants("test");

        Assert.NotEmpty(await db.Merchants.ToListAsync());
        Assert.True(await db.Memberships.CountAsync() > 0);
        Assert.True(await db.Coupons.CountAsync() > 0);
        Assert.True(await db.Orders.AnyAsync(o => o.Status == OrderStatus.Fulfilled));
        Assert.Equal(await CountedAsync(db), await KeptAsync(db));
    }

    [Fact]
    public async Task MemberCountsFollowSetBasedUpdatesSingleRowUpdatesAndDeletesOfMemberships()
    {
        var app = postgres.Require();
        await using var db = ForMerchant(app, await MerchantIdAsync(app, Aroma));
        await using var transaction = await db.Database.BeginTransactionAsync();
        var before = await KeptAsync(db);

        var expired = await db.Memberships.Where(m => m.Status == MembershipStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MembershipStatus.Expired));
        var afterUpdate = (Counted: await CountedAsync(db), Kept: await KeptAsync(db));
        var one = await db.Memberships.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        await db.Memberships.Where(m => m.Id == one).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MembershipStatus.Cancelled));
        var afterOne = (Counted: await CountedAsync(db), Kept: await KeptAsync(db));
        await db.Coupons.Where(c => c.MembershipId == one).ExecuteDeleteAsync();
        await db.Memberships.Where(m => m.Id == one).ExecuteDeleteAsync();
        var afterDelete = (Counted: await CountedAsync(db), Kept: await KeptAsync(db));
        await transaction.RollbackAsync();

        Assert.True(expired > 1, "the demo merchant has several active members");
        Assert.NotEqual(before, afterUpdate.Kept);
        Assert.Equal(afterUpdate.Counted, afterUpdate.Kept);
        Assert.Equal(afterOne.Counted, afterOne.Kept);
        Assert.Equal(afterDelete.Counted, afterDelete.Kept);
        Assert.Equal(before, await KeptAsync(db));
    }

    [Fact]
    public async Task TwoTransactionsChangingMembersOfOneTierDoNotWaitForEachOthersCounts()
    {
        var app = postgres.Require();
        var merchantId = await MerchantIdAsync(app, Aroma);
        await using var first = ForMerchant(app, merchantId);
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        var pair = (await first.Memberships.Where(m => m.Status == MembershipStatus.Active).Select(m => new { m.Id, m.PlanId, m.TierId }).ToListAsync())
            .GroupBy(m => (m.PlanId, m.TierId)).First(g => g.Count() >= 2).Take(2).Select(m => m.Id).ToList();
        var countedBefore = await CountedAsync(first);
        // A second connection whose slot differs from the first's (the slot is the connection's process id modulo 64).
        var firstSlot = await SlotAsync(first);
        var held = new List<MerchantDbContext>();
        MerchantDbContext second;
        do
        {
            held.Add(second = ForMerchant(app, merchantId));
            await second.Database.OpenConnectionAsync();
        }
        while (await SlotAsync(second) == firstSlot);

        await first.Memberships.Where(m => m.Id == pair[0]).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MembershipStatus.Expired));
        await using (var secondTransaction = await second.Database.BeginTransactionAsync())
        {
            // With one row per count this update waited for the first transaction's commit; it now fails after 2 s if it waits.
            await second.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '2s'");
            await second.Memberships.Where(m => m.Id == pair[1]).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MembershipStatus.Expired));
            await secondTransaction.CommitAsync();
        }
        await firstTransaction.CommitAsync();

        await using var check = ForMerchant(app, merchantId);
        Assert.Equal(await CountedAsync(check), await KeptAsync(check));
        Assert.NotEqual(countedBefore, await CountedAsync(check));
        await check.Memberships.Where(m => pair.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MembershipStatus.Active));
        Assert.Equal(countedBefore, await KeptAsync(check));
        foreach (var context in held)
            await context.DisposeAsync();

        static async Task<int> SlotAsync(MerchantDbContext db) =>
            await db.Database.SqlQueryRaw<int>("""SELECT pg_backend_pid() % 64 AS "Value" """).SingleAsync();
    }

    [Fact]
    public async Task SearchesIgnoreCaseAsOnTheOtherProvidersAndMatchWildcardsLiterally()
    {
        var app = postgres.Require();
        await using var db = app.Factory.Services.GetRequiredService<ProviderContextOptions>().CreateAcrossMerchants("test");
        var name = (await db.Merchants.Select(m => m.Name).ToListAsync()).First(n => n.Any(char.IsAsciiLetter));
        var typed = new string([.. name.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))]);

        var found = await db.Merchants.Where(m => EF.Functions.Like(m.Name, LikePattern.Containing(typed), LikePattern.Escape)).Select(m => m.Name).ToListAsync();
        var wildcard = await db.Merchants.Where(m => EF.Functions.Like(m.Name, LikePattern.Containing("%"), LikePattern.Escape)).CountAsync();

        Assert.Contains(name, found);
        Assert.Equal(0, wildcard);
    }

    [Fact]
    public async Task APaidOrdersCallbackSentTenTimesAtOnceFulfilsItOnceAndCountsTheCard()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var (body, signature) = await CallbackOfAsync(app, sale, orderId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostCallbackAsync(app, body, signature)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var order = await AwaitStatusAsync(app, sale, orderId);
        Assert.Equal(10, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 2);
        await using var db = ForMerchant(app, sale.MerchantId);
        Assert.Equal(1, await db.MemberCounts.Where(c => c.PlanId == sale.PlanId && c.Status == MembershipStatus.Active).SumAsync(c => c.Count));
    }

    [Fact]
    public async Task TwoBatchesFulfilledAtOnceShareTheLastOfACouponBudgetWithoutIssuingPastIt()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var orderIds = await PaidOrdersAsync(app, sale, 12);
        var couponActivityId = await LimitOneBenefitAsync(app, sale, room: 5);

        // Each batch reads room for 5 and takes it; the counters are written at the commit, where the second finds the room gone.
        var fulfilled = await Task.WhenAll(orderIds.Chunk(6).Select(batch => Task.Run(async () =>
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OrderFulfilment>().FulfilBatchAsync(sale.MerchantId, batch, CancellationToken.None);
        })));

        Assert.Equal(orderIds.Order(), fulfilled.SelectMany(f => f).Order());
        var orders = await Task.WhenAll(orderIds.Select(id => OrderAsync(app, sale, id)));
        Assert.Equal(5, orders.Sum(o => int.Parse(Assert.Single(o.Ledger, e => e.Kind == OrderLedgerKind.CouponsIssued).Detail!)));
        await using var db = ForMerchant(app, sale.MerchantId);
        Assert.Equal(5, await db.Coupons.CountAsync(c => c.CouponActivityId == couponActivityId));
        var activity = await db.Set<CouponActivity>().AsNoTracking().SingleAsync(c => c.Id == couponActivityId);
        Assert.Equal(activity.Budget, activity.Issued);
        Assert.Equal(5, await db.CouponDailyCounts.Where(c => c.CouponActivityId == couponActivityId).SumAsync(c => c.Issued));
        Assert.Equal(12, (await MembershipsAsync(app, sale)).Count);
    }

    [Theory]
    [InlineData("by id")]
    [InlineData("by payment")]
    public async Task OrdersLockedByARecordingOrAChunksWritesMakeAnotherNodesWriteWaitForTheCommit(string lockedBy)
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(app, sale, orderId)).PaymentId!;
        var otherMerchant = await MerchantIdAsync(app, Orchard);

        await using var holder = ForMerchant(app, sale.MerchantId);
        await using var held = await holder.Database.BeginTransactionAsync();
        if (lockedBy == "by id")
            Assert.Equal(orderId, Assert.Single((await OrderRowLocks.LockAsync(holder, [orderId], CancellationToken.None))!).Key);
        else
            await OrderRowLocks.LockByPaymentAsync(holder, [paymentId], CancellationToken.None);

        // Another merchant's scope locks nothing of it, even named by id.
        await using (var other = ForMerchant(app, otherMerchant))
        await using (var otherTransaction = await other.Database.BeginTransactionAsync())
            Assert.Empty((await OrderRowLocks.LockAsync(other, [orderId], CancellationToken.None))!);
        await using (var writer = ForMerchant(app, sale.MerchantId))
        await using (var writing = await writer.Database.BeginTransactionAsync())
        {
            await writer.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '500ms'");
            var waited = await Assert.ThrowsAnyAsync<Exception>(() => writer.Orders.Where(o => o.Id == orderId)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.ConcurrencyStamp, Guid.NewGuid())));
            Assert.Equal(Npgsql.PostgresErrorCodes.LockNotAvailable, Assert.IsType<Npgsql.PostgresException>(waited.GetBaseException()).SqlState);
        }
        await held.CommitAsync();
        await using (var writer = ForMerchant(app, sale.MerchantId))
            Assert.Equal(1, await writer.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.ConcurrencyStamp, Guid.NewGuid())));
    }

    [Fact]
    public async Task ADuplicatePaymentRecordedWhileAChunkWorksIsTakenInAtItsWritesWithoutRunningTheChunkAgain()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var orderIds = await PaidOrdersAsync(app, sale, 2);

        // Another node records the first order's duplicate callback between the chunk's reads and its writes.
        var (fulfilled, runs) = await FulfilWithAChangeBeforeTheLockAsync(app, sale, orderIds, async other =>
        {
            var order = await other.Orders.Include(o => o.Ledger).SingleAsync(o => o.Id == orderIds[0]);
            order.RecordPayment(order.PaymentId!, order.Price, DateTimeOffset.UtcNow);
            await other.SaveChangesAsync();
        });

        Assert.Equal(1, runs);
        Assert.Equal(orderIds.Order(), fulfilled.Order());
        var first = await OrderAsync(app, sale, orderIds[0]);
        Assert.Equal(2, first.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        await AssertFulfilledOnceAsync(app, sale, first, coupons: 1);
        await AssertFulfilledOnceAsync(app, sale, await OrderAsync(app, sale, orderIds[1]), coupons: 1);
    }

    [Fact]
    public async Task AnOrderNoLongerPaidWhenAChunkComesToWriteItMakesTheChunkRunAgainWithoutIt()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var orderIds = await PaidOrdersAsync(app, sale, 2);

        var (fulfilled, runs) = await FulfilWithAChangeBeforeTheLockAsync(app, sale, orderIds, other => other.Orders.Where(o => o.Id == orderIds[0])
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.ConcurrencyStamp, Guid.NewGuid())));

        Assert.Equal(2, runs);
        Assert.Equal([orderIds[1]], fulfilled);
        var cancelled = await OrderAsync(app, sale, orderIds[0]);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Empty(await MembershipsAsync(app, sale, cancelled.CustomerId));
        await AssertFulfilledOnceAsync(app, sale, await OrderAsync(app, sale, orderIds[1]), coupons: 1);
    }

    /// <summary>
    /// The orders fulfilled as one chunk, with <paramref name="change"/> made by another writer the first time the chunk
    /// comes to lock its orders; the orders it fulfilled, and how many times it ran.
    /// </summary>
    private static async Task<(IReadOnlyList<Guid> Fulfilled, int Runs)> FulfilWithAChangeBeforeTheLockAsync(AppFixture app, OnSalePlan sale,
        IReadOnlyList<Guid> orderIds, Func<MerchantDbContext, Task> change)
    {
        var runs = 0;
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var fulfilment = scope.ServiceProvider.GetRequiredService<OrderFulfilment>();
        fulfilment.BeforeOrdersLocked = async _ =>
        {
            if (++runs > 1)
                return;
            await using var other = ForMerchant(app, sale.MerchantId);
            await change(other);
        };
        return (await fulfilment.FulfilBatchAsync(sale.MerchantId, orderIds, CancellationToken.None), runs);
    }

    private static async Task<List<Guid>> PaidOrdersAsync(AppFixture app, OnSalePlan sale, int count)
    {
        var orderIds = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            using var client = await SignedInAsync(app, Aroma, NewPhone());
            orderIds.Add(await PlaceAsync(client, sale));
            await MarkPaidAsync(app, sale, orderIds[^1]);
        }
        return orderIds;
    }

    [Fact]
    public async Task TwentyConcurrentRedemptionsOfOneCodeSucceedOnce()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var (client, order) = await FulfilledOrderAsync(app, sale);
        client.Dispose();
        var coupon = Assert.Single(await CouponsOfAsync(app, sale, order.MembershipId!.Value));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var scope = InMerchant(app, sale.MerchantId, $"clerk{i}");
            return await scope.ServiceProvider.GetRequiredService<CouponRedemption>()
                .RedeemAsync(coupon.Code, 12_000, "SH-01", DateTimeOffset.UtcNow, $"clerk{i}");
        })));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("Coupon.AlreadyRedeemed", r.Refusal!.Code));
        await using var db = ForMerchant(app, sale.MerchantId);
        Assert.Equal(CouponStatus.Redeemed, (await db.Coupons.SingleAsync(c => c.Id == coupon.Id)).Status);
        Assert.Equal(1, (await db.Set<CouponActivity>().SingleAsync(a => a.Id == coupon.CouponActivityId)).Redeemed);
    }

    [Fact]
    public async Task AGrantRunByHangfireAndByTwoMoreWorkersAtOnceIssuesExactlyOneCouponToEachMemberOfTheTier()
    {
        var app = postgres.Require();
        var merchantId = await MerchantIdAsync(app, Aroma);
        await using var scope = InMerchant(app, merchantId, "admin@postgres.test");
        var services = scope.ServiceProvider;
        Guid planId, tierId;
        await using (var db = ForMerchant(app, merchantId))
        {
            var largest = await db.Memberships.Where(m => m.Status == MembershipStatus.Active)
                .GroupBy(m => new { m.PlanId, m.TierId }).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            (planId, tierId) = (largest.PlanId, largest.TierId);
        }
        var template = await services.GetRequiredService<CouponTemplateService>().CreateAsync("Grant on PostgreSQL", CouponTestTerms.CashOff(), publish: true);
        Assert.True(template.Succeeded, template.Refusal?.English);
        var activities = services.GetRequiredService<ActivityService>();
        var activity = await activities.CreateAsync("Grant on PostgreSQL", DateTimeOffset.UtcNow.AddDays(-1), null);
        var couponActivity = await activities.AddCouponActivityAsync(activity.Id!.Value, template.VersionId!.Value, IssuingRule.ManualGrant, 10_000);
        Assert.True(couponActivity.Succeeded, couponActivity.Refusal?.English);
        Assert.True((await activities.MakeEffectiveAsync(activity.Id!.Value)).Succeeded);
        var grants = services.GetRequiredService<GrantService>();
        var members = await grants.CountTierAsync(planId, tierId);

        var started = await grants.StartTierGrantAsync(activity.Id!.Value, couponActivity.VersionId!.Value, planId, tierId);
        Assert.True(started.Succeeded, started.Refusal?.English);
        var grantId = started.GrantId!.Value;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var worker = app.Factory.Services.CreateAsyncScope();
            await worker.ServiceProvider.GetRequiredService<CouponGrantJob>().RunAsync(merchantId, grantId, CancellationToken.None);
        })));
        var grant = await AwaitGrantAsync(app, merchantId, grantId);

        Assert.True(members > 1, "the demo tier has several active members");
        Assert.Equal((GrantStatus.Completed, members, members), (grant.Status, grant.Targeted, grant.Issued));
        await using var check = ForMerchant(app, merchantId);
        var key = IssueKeys.Grant(grantId);
        var issued = await check.Coupons.Where(c => c.IssueKey == key).Select(c => new { c.MembershipId, c.Code }).ToListAsync();
        Assert.Equal(members, issued.Count);
        Assert.Equal(members, issued.Select(c => c.MembershipId).Distinct().Count());
        Assert.Equal(members, issued.Select(c => c.Code).Distinct().Count());
        Assert.Equal(members, (await check.Set<CouponActivity>().SingleAsync(a => a.Id == couponActivity.VersionId!.Value)).Issued);
    }

    [Theory]
    [InlineData("admin@aroma.demo", "/")]
    [InlineData("admin@aroma.demo", "/members")]
    [InlineData("admin@aroma.demo", "/members?search=aroma")]
    [InlineData("admin@aroma.demo", "/orders")]
    [InlineData("admin@aroma.demo", "/plans")]
    [InlineData("admin@aroma.demo", "/card-templates")]
    [InlineData("admin@aroma.demo", "/coupon-templates")]
    [InlineData("admin@aroma.demo", "/activities")]
    [InlineData("admin@aroma.demo", "/staff")]
    [InlineData("support@merchantconsole.demo", "/")]
    [InlineData("support@merchantconsole.demo", "/merchants")]
    [InlineData("support@merchantconsole.demo", "/support/runs")]
    [InlineData("support@merchantconsole.demo", "/support/orders")]
    public async Task EveryMainPageRendersItsQueriesOnPostgreSql(string email, string path)
    {
        var app = postgres.Require();
        using var client = await app.SignedInClientAsync(email);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static AsyncServiceScope InMerchant(AppFixture app, Guid merchantId, string actor)
    {
        var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchantId, actor);
        return scope;
    }

    private static async Task<CouponGrant> AwaitGrantAsync(AppFixture app, Guid merchantId, Guid grantId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = ForMerchant(app, merchantId);
            var grant = await db.Set<CouponGrant>().AsNoTracking().SingleAsync(g => g.Id == grantId);
            if (grant.Status is GrantStatus.Completed or GrantStatus.Failed || DateTime.UtcNow > deadline)
                return grant;
            await Task.Delay(200);
        }
    }

    /// <summary>Members per merchant, plan, tier and status, counted from the memberships.</summary>
    private static async Task<List<string>> CountedAsync(MerchantDbContext db) =>
        [.. (await db.Memberships.GroupBy(m => new { m.MerchantId, m.PlanId, m.TierId, m.Status })
            .Select(g => new { g.Key.MerchantId, g.Key.PlanId, g.Key.TierId, g.Key.Status, Count = (long)g.Count() }).ToListAsync())
            .Select(c => $"{c.MerchantId} {c.PlanId} {c.TierId} {c.Status} {c.Count}").Order()];

    /// <summary>The same figures as the triggers keep them in MemberCounts, each the sum of its slots (zero means none).</summary>
    private static async Task<List<string>> KeptAsync(MerchantDbContext db) =>
        [.. (await db.MemberCounts.GroupBy(c => new { c.MerchantId, c.PlanId, c.TierId, c.Status })
            .Select(g => new { g.Key.MerchantId, g.Key.PlanId, g.Key.TierId, g.Key.Status, Count = g.Sum(c => c.Count) }).Where(c => c.Count != 0).ToListAsync())
            .Select(c => $"{c.MerchantId} {c.PlanId} {c.TierId} {c.Status} {c.Count}").Order()];
}
