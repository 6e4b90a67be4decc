using Activity = System.Diagnostics.Activity;
using System.Diagnostics;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Grants;
using MerchantConsole.Tests.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static MerchantConsole.Tests.Features.Orders.PaymentsHarness;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// On PostgreSQL the pipeline's direct writes and the coupons' bulk writer send their statements together
/// (<see cref="RowStatements"/>): one round trip, and still each statement's own outcome — a stale update fails the save,
/// a taken code skips exactly its row, a failing insert is named by its own row type.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PostgreSqlRowStatementsTests(PostgreSqlAppFixture postgres) : IClassFixture<PostgreSqlAppFixture>
{
    [Fact]
    public async Task OrdersWrittenDirectlyGoInOneRoundTripAndOneStaleAmongThemFailsTheWholeSave()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var orderIds = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            using var client = await SignedInAsync(app, Aroma, NewPhone());
            orderIds.Add(await PlaceAsync(client, sale));
        }
        var auditsBefore = await CountAuditsAsync(app, sale);

        await using (var db = ForMerchant(app, sale.MerchantId))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var writes = PayInWrites(db, await OrdersAsync(db, orderIds));
            // Another writer changes the second order after it was read.
            await using (var other = ForMerchant(app, sale.MerchantId))
                await other.Orders.Where(o => o.Id == orderIds[1]).ExecuteUpdateAsync(u => u.SetProperty(o => o.ConcurrencyStamp, Guid.NewGuid()));

            var failure = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => writes.SaveAsync(CancellationToken.None));
            Assert.Contains(nameof(Order), failure.Message);
        }
        var unpaid = await Task.WhenAll(orderIds.Select(id => OrderAsync(app, sale, id)));
        Assert.All(unpaid, o => Assert.Equal(OrderStatus.Pending, o.Status));
        Assert.Equal(auditsBefore, await CountAuditsAsync(app, sale));

        var executed = new List<Activity>();
        await using (var db = ForMerchant(app, sale.MerchantId))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var writes = PayInWrites(db, await OrdersAsync(db, orderIds));
            using (NpgsqlRoundTrips(executed))
                await writes.SaveAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }
        // Three order updates, three ledger lines and three audit entries: one round trip.
        Assert.Single(executed);
        var paid = await Task.WhenAll(orderIds.Select(id => OrderAsync(app, sale, id)));
        Assert.All(paid, o => Assert.Equal(OrderStatus.Paid, o.Status));
        Assert.Equal(auditsBefore + 3, await CountAuditsAsync(app, sale));
    }

    [Fact]
    public async Task AFailingInsertAfterOthersIsReportedAsItsOwnRowsFailureAndWritesNothing()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);

        await using (var db = ForMerchant(app, sale.MerchantId))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var order = Assert.Single(await OrdersAsync(db, [orderId]));
            var writes = PayInWrites(db, [order]);
            // The customer is already there: its insert, after the order's update and ledger line, fails.
            writes.Add(await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId));

            var failure = await Assert.ThrowsAsync<DbUpdateException>(() => writes.SaveAsync(CancellationToken.None));
            Assert.StartsWith($"Writing a {nameof(MerchantConsole.Domain.Members.Customer)} failed", failure.Message);
            Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, Assert.IsType<Npgsql.PostgresException>(failure.InnerException).SqlState);
        }
        Assert.Equal(OrderStatus.Pending, (await OrderAsync(app, sale, orderId)).Status);
    }

    [Fact]
    public async Task ThousandsOfCouponsWrittenTogetherSkipExactlyTheRowsWhoseCodeOrIssueKeyWasTaken()
    {
        var app = postgres.Require();
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var (_, order) = await FulfilledOrderAsync(app, sale);
        var joinCoupon = Assert.Single(await CouponsOfAsync(app, sale, order.MembershipId!.Value));
        await using var db = ForMerchant(app, sale.MerchantId);
        var activity = await db.Set<CouponActivity>().AsNoTracking().SingleAsync(a => a.Id == joinCoupon.CouponActivityId);
        var version = await db.Set<CouponTemplateVersion>().AsNoTracking().SingleAsync(v => v.Id == joinCoupon.CouponTemplateVersionId);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var run = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var coupons = Enumerable.Range(0, 1_200).Select(i => Coupon.Issue(sale.MerchantId, activity, version, joinCoupon.MembershipId, null,
            $"test:{run}:{i}", $"RS{run}{i:D5}", zone, DateTimeOffset.UtcNow)).ToList();
        // Past the first round trip of 500 too: a code another coupon holds, a code taken earlier in this write, a key the member holds.
        coupons[3] = Coupon.Issue(sale.MerchantId, activity, version, joinCoupon.MembershipId, null, $"test:{run}:taken", joinCoupon.Code, zone, DateTimeOffset.UtcNow);
        coupons[700] = Coupon.Issue(sale.MerchantId, activity, version, joinCoupon.MembershipId, null, $"test:{run}:again", coupons[10].Code, zone, DateTimeOffset.UtcNow);
        coupons[1_100] = Coupon.Issue(sale.MerchantId, activity, version, joinCoupon.MembershipId, null, joinCoupon.IssueKey, $"RS{run}HELD", zone, DateTimeOffset.UtcNow);

        IReadOnlyList<Coupon> skipped;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            skipped = await CouponBulkWriter.InsertNewAsync(db, coupons);
            await transaction.CommitAsync();
        }

        Assert.Equal([coupons[3], coupons[700], coupons[1_100]], skipped);
        var written = await db.Coupons.Where(c => c.MembershipId == joinCoupon.MembershipId).Select(c => c.Id).ToListAsync();
        Assert.Equal(1 + 1_197, written.Count);
        Assert.Equal(coupons.Except(skipped).Select(c => c.Id).Append(joinCoupon.Id).Order(), written.Order());
    }

    private static async Task<List<Order>> OrdersAsync(MerchantDbContext db, IReadOnlyList<Guid> ids) =>
        await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync();

    /// <summary>Each order's payment recorded in memory and asked of the direct writes (the order, its new ledger lines).</summary>
    private static DirectRowWrites PayInWrites(MerchantDbContext db, IEnumerable<Order> orders)
    {
        var now = DateTimeOffset.UtcNow;
        var writes = new DirectRowWrites(db, now);
        foreach (var order in orders)
        {
            var (before, ledgerLength) = (writes.Before(order), order.LedgerLength);
            order.RecordPayment(order.PaymentId!, order.Price, now);
            writes.Modify(order, before);
            foreach (var line in order.Ledger.Where(l => l.Sequence > ledgerLength))
                writes.Add(line);
        }
        return writes;
    }

    private static async Task<int> CountAuditsAsync(AppFixture app, OnSalePlan sale)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.AuditEntries.CountAsync(a => a.AggregateType == nameof(Order));
    }

    /// <summary>Records each command or batch Npgsql runs under a parent started here, i.e. from this test's own calls.</summary>
    private static IDisposable NpgsqlRoundTrips(List<Activity> executed)
    {
        var source = new ActivitySource("MerchantConsole.Tests.RoundTrips");
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" || s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var parent = source.StartActivity("direct writes")!;
        listener.ActivityStopped = a =>
        {
            if (a.Source.Name == "Npgsql" && a.ParentSpanId == parent.SpanId)
                lock (executed) executed.Add(a);
        };
        return new Scope(() =>
        {
            parent.Dispose();
            listener.Dispose();
            source.Dispose();
        });
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
