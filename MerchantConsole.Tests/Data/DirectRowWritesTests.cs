using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Tests.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Data;

/// <summary>The order pipeline's untracked writes keep the guarantees of a tracked save: audit, stamps, merchant, lost races.</summary>
public sealed class DirectRowWritesTests
{
    private sealed record Sale(MembersHarness Harness, Guid CustomerId, Guid PlanId, Guid TierId, Guid ChannelId, Guid ProductId);

    private static async Task<Sale> SaleAsync(MembersHarness harness)
    {
        var plan = await harness.ActivePlanAsync();
        var member = await harness.Enrolment().EnrolAsync(MembersHarness.Request(plan));
        await using var db = harness.Database.For(harness.Merchant.Id);
        var customerId = await db.Memberships.Where(m => m.Id == member.MembershipId).Select(m => m.CustomerId).SingleAsync();
        return new Sale(harness, customerId, plan.Id, plan.Tiers[0].Id, plan.Tiers[0].JoinChannels[0].Id, Guid.NewGuid());
    }

    private static Order Place(Sale sale, string key)
    {
        var now = sale.Harness.Database.Clock.GetUtcNow();
        var order = Order.Place(sale.Harness.Merchant.Id, sale.CustomerId, sale.PlanId, sale.TierId, sale.ChannelId, sale.ProductId,
            new Money(19_900, "CNY"), key, false, now, TimeSpan.FromMinutes(15));
        order.AttachPayment("pay-" + key, now);
        return order;
    }

    /// <summary>An order's audit entries with its own id, key and payment id made alike, so two orders' histories compare.</summary>
    private static async Task<List<string>> HistoryAsync(Sale sale, Order order)
    {
        await using var db = sale.Harness.Database.For(sale.Harness.Merchant.Id);
        var entries = await db.AuditEntries.Where(a => a.AggregateType == nameof(Order) && a.AggregateId == order.Id.ToString()).OrderBy(a => a.Id).ToListAsync();
        return [.. entries.Select(e => string.Join(" | ", e.EntityType, e.Action, e.UserName, e.At.ToString("O"), e.MerchantId,
            string.Join("; ", e.ReadChanges().Select(c => $"{c.Field} {c.Old} → {c.New} ({c.Kind})")))
            .Replace(order.Id.ToString(), "ORDER").Replace(order.IdempotencyKey, "KEY"))];
    }

    [Fact]
    public async Task AnOrderWrittenDirectlyHasTheSameRowsAndHistoryAsOneSavedThroughEf()
    {
        await using var harness = await MembersHarness.CreateAsync();
        var sale = await SaleAsync(harness);
        var clock = harness.Database.Clock;
        var tracked = Place(sale, "tracked");
        var direct = Place(sale, "direct");
        await using (var db = harness.Database.For(harness.Merchant.Id, "payments"))
        {
            db.Orders.Add(tracked);
            await db.SaveChangesAsync();
        }
        await using (var db = harness.Database.For(harness.Merchant.Id, "payments"))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var writes = new DirectRowWrites(db, clock.GetUtcNow());
            writes.Add(direct);
            foreach (var line in direct.Ledger)
                writes.Add(line);
            await writes.SaveAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }
        clock.Advance(TimeSpan.FromMinutes(1));

        await using (var db = harness.Database.For(harness.Merchant.Id, "payments"))
        {
            var order = await db.Orders.SingleAsync(o => o.Id == tracked.Id);
            order.RecordPayment("pay-tracked", order.Price, clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        Guid stampBefore;
        await using (var db = harness.Database.For(harness.Merchant.Id, "payments"))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == direct.Id);
            stampBefore = order.ConcurrencyStamp;
            var writes = new DirectRowWrites(db, clock.GetUtcNow());
            var before = writes.Before(order);
            var ledgerLength = order.LedgerLength;
            order.RecordPayment("pay-direct", order.Price, clock.GetUtcNow());
            writes.Modify(order, before);
            foreach (var line in order.Ledger.Where(l => l.Sequence > ledgerLength))
                writes.Add(line);
            await writes.SaveAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var read = harness.Database.For(harness.Merchant.Id);
        var orders = await read.Orders.Include(o => o.Ledger).Where(o => o.Id == tracked.Id || o.Id == direct.Id).ToDictionaryAsync(o => o.Id);
        var (savedTracked, savedDirect) = (orders[tracked.Id], orders[direct.Id]);
        Assert.Equal(OrderStatus.Paid, savedDirect.Status);
        Assert.Equal(savedTracked.PaidAt, savedDirect.PaidAt);
        Assert.Equal(savedTracked.Ledger.OrderBy(l => l.Sequence).Select(l => (l.Sequence, l.Kind, l.At)),
            savedDirect.Ledger.OrderBy(l => l.Sequence).Select(l => (l.Sequence, l.Kind, l.At)));
        Assert.Equal(3, savedDirect.LedgerLength);
        Assert.NotEqual(stampBefore, savedDirect.ConcurrencyStamp);
        var trackedHistory = await HistoryAsync(sale, tracked);
        Assert.Equal(2, trackedHistory.Count); // Added, then Modified: the ledger lines are not audited
        Assert.Equal(trackedHistory, await HistoryAsync(sale, direct));
    }

    [Fact]
    public async Task AnUpdateOfAnOrderAnotherWriterChangedFirstFailsAndTheRollbackLeavesTheirChange()
    {
        await using var harness = await MembersHarness.CreateAsync();
        var sale = await SaleAsync(harness);
        var order = Place(sale, "raced");
        await using (var db = harness.Database.For(harness.Merchant.Id))
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
        }
        var now = harness.Database.Clock.GetUtcNow();
        await using var slow = harness.Database.For(harness.Merchant.Id, "payments");
        var stale = await slow.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        var writes = new DirectRowWrites(slow, now);
        var before = writes.Before(stale);
        await using (var first = harness.Database.For(harness.Merchant.Id, "support"))
        {
            var fresh = await first.Orders.SingleAsync(o => o.Id == order.Id);
            fresh.RecordPayment("pay-raced", fresh.Price, now);
            await first.SaveChangesAsync();
        }
        var auditsBefore = await CountAuditsAsync(harness);

        await using (var transaction = await slow.Database.BeginTransactionAsync())
        {
            stale.RecordPayment("pay-raced", new Money(1, "CNY"), now);
            writes.Modify(stale, before);
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => writes.SaveAsync(CancellationToken.None));
        }

        await using var read = harness.Database.For(harness.Merchant.Id);
        var saved = await read.Orders.Include(o => o.Ledger).SingleAsync(o => o.Id == order.Id);
        Assert.Equal(OrderStatus.Paid, saved.Status);
        Assert.DoesNotContain(saved.Ledger, l => l.Kind == OrderLedgerKind.PaymentRefused);
        Assert.Equal(auditsBefore, await CountAuditsAsync(harness));
    }

    [Fact]
    public async Task AnotherMerchantsRowIsRefusedBeforeAnythingIsWritten()
    {
        await using var harness = await MembersHarness.CreateAsync();
        var sale = await SaleAsync(harness);
        var order = Place(sale, "theirs");
        await using var db = harness.Database.For(harness.OtherMerchant.Id);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var writes = new DirectRowWrites(db, harness.Database.Clock.GetUtcNow());

        Assert.Throws<InvalidOperationException>(() => writes.Add(order));
        await writes.SaveAsync(CancellationToken.None);
        await transaction.CommitAsync();

        await using var read = harness.Database.Unscoped();
        Assert.False(await read.Orders.IgnoreQueryFilters().AnyAsync(o => o.Id == order.Id));
    }

    [Fact]
    public async Task ARowAnotherWriterInsertedFirstFailsAsADbUpdateExceptionSoCallersRetryIt()
    {
        await using var harness = await MembersHarness.CreateAsync();
        var sale = await SaleAsync(harness);
        var order = Place(sale, "twice");
        await using (var db = harness.Database.For(harness.Merchant.Id))
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
        }
        var auditsBefore = await CountAuditsAsync(harness);

        await using (var db = harness.Database.For(harness.Merchant.Id, "payments"))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var writes = new DirectRowWrites(db, harness.Database.Clock.GetUtcNow());
            writes.Add(order);
            var failure = await Assert.ThrowsAsync<DbUpdateException>(() => writes.SaveAsync(CancellationToken.None));
            Assert.IsAssignableFrom<System.Data.Common.DbException>(failure.InnerException);
        }

        await using var read = harness.Database.For(harness.Merchant.Id);
        Assert.Equal(1, await read.Orders.CountAsync(o => o.Id == order.Id));
        Assert.Equal(auditsBefore, await CountAuditsAsync(harness));
    }

    private static async Task<int> CountAuditsAsync(MembersHarness harness)
    {
        await using var db = harness.Database.For(harness.Merchant.Id);
        return await db.AuditEntries.CountAsync();
    }
}
