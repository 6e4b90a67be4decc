using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Orders.PaymentsHarness;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Orders;

/// <summary>
/// Batch fulfilment (one transaction for many Paid orders), its fall-back to one by one after a lost race, and the sweep
/// that fulfils Paid orders whose in-process hand-off was lost. Orders here are marked Paid without a callback, so only
/// the call under test fulfils them.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OrderFulfilmentBatchTests(AppFixture app)
{
    [Fact]
    public async Task ABatchOfPaidOrdersFulfilsEachOnceWithRenewalsDuplicatesAndACouponBudgetRunningOut()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2, validityDays: 30);
        // E is a member already; A buys twice in the batch; F is fulfilled before the batch and listed again.
        var (clientE, firstOfE) = await FulfilledOrderAsync(app, sale);
        var (clientF, fulfilledF) = await FulfilledOrderAsync(app, sale);
        using var clientA = await SignedInAsync(app, Aroma, NewPhone());
        var a1 = await PlaceAsync(clientA, sale);
        var a2 = await PlaceAsync(clientA, sale);
        var others = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            using var client = await SignedInAsync(app, Aroma, NewPhone());
            others.Add(await PlaceAsync(client, sale));
        }
        var e2 = await PlaceAsync(clientE, sale);
        List<Guid> paid = [a1, a2, .. others, e2];
        foreach (var orderId in paid)
            await MarkPaidAsync(app, sale, orderId);
        // One benefit's budget has room for three more coupons: the fourth new member gets only the other benefit's.
        var limited = await LimitOneBenefitAsync(app, sale, room: 3);

        var fulfilled = await WithFulfilmentAsync(f => f.FulfilBatchAsync(sale.MerchantId, [.. paid, others[0], fulfilledF.Id], CancellationToken.None));

        Assert.Equal(paid.Order(), fulfilled.Order());
        var orders = new Dictionary<Guid, Order>();
        foreach (var orderId in paid)
            orders[orderId] = await OrderAsync(app, sale, orderId);
        Assert.All(orders.Values, o => Assert.Equal(OrderStatus.Fulfilled, o.Status));
        var newCards = new[] { a1 }.Concat(others).Select(id => orders[id]).ToList();
        var couponsIssued = newCards.Select(o => int.Parse(Assert.Single(o.Ledger, e => e.Kind == OrderLedgerKind.CouponsIssued).Detail!)).ToList();
        Assert.Equal([1, 2, 2, 2], couponsIssued.Order());
        foreach (var order in newCards)
            await AssertFulfilledOnceAsync(app, sale, order, coupons: int.Parse(order.Ledger.Single(e => e.Kind == OrderLedgerKind.CouponsIssued).Detail!));
        Assert.Equal(3, await CouponsOfActivityAsync(sale, limited, newCards.Select(o => o.MembershipId!.Value)));
        foreach (var renewal in new[] { orders[a2], orders[e2] })
        {
            Assert.Equal(renewal.MembershipId, Assert.Single(await MembershipsAsync(app, sale, renewal.CustomerId)).Id);
            Assert.Single(renewal.Ledger, e => e.Kind == OrderLedgerKind.Renewed);
            Assert.DoesNotContain(renewal.Ledger, e => e.Kind == OrderLedgerKind.CardIssued);
        }
        Assert.Equal(orders[a1].MembershipId, orders[a2].MembershipId);
        Assert.Equal(firstOfE.MembershipId, orders[e2].MembershipId);
        Assert.Equal(2, (await CouponsOfAsync(app, sale, firstOfE.MembershipId!.Value)).Count);
        Assert.Single((await OrderAsync(app, sale, fulfilledF.Id)).Ledger, e => e.Kind == OrderLedgerKind.Fulfilled);

        // The MemberJoined messages written with the cards are delivered later and issue nothing more.
        foreach (var order in newCards)
            await AwaitJoinedDeliveredAsync(app, sale, order.MembershipId!.Value);
        Assert.Equal(7, (await Task.WhenAll(newCards.Select(o => CouponsOfAsync(app, sale, o.MembershipId!.Value)))).Sum(c => c.Count));
        // Because the fulfilment recorded, with the coupons, that the coupon handler's work on each message was done.
        await using (var db = ForMerchant(app, sale.MerchantId))
        {
            var cards = newCards.Select(o => (Guid?)o.MembershipId).ToList();
            var messages = await db.OutboxMessages.Where(m => m.Type == nameof(MemberJoined) && cards.Contains(m.CorrelationId)).ToListAsync();
            var joined = messages.Select(m => m.Id).ToList();
            Assert.Equal(newCards.Count, joined.Count);
            // The coupon handler is MemberJoined's only one and this transaction applied it: nothing is left to dispatch.
            Assert.All(messages, m => Assert.NotNull(m.SentAt));
            Assert.Equal(joined.Order(), (await db.InboxEntries.Where(e => joined.Contains(e.MessageId) && e.Handler == MemberJoinedCouponHandler.InboxName)
                .Select(e => e.MessageId).ToListAsync()).Order());
        }
        clientE.Dispose();
        clientF.Dispose();
    }

    [Theory]
    [InlineData("unique key", 1)]
    [InlineData("deadlock", 1)]
    [InlineData("unique key", 3)]
    public async Task ABatchThatLosesARaceIsRolledBackAndTriedAgainThenOneByOneEachOrderOnce(string lostTo, int racesLost)
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);
        var orderIds = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            using var client = await SignedInAsync(app, Aroma, NewPhone());
            orderIds.Add(await PlaceAsync(client, sale));
            await MarkPaidAsync(app, sale, orderIds[^1]);
        }
        var commits = 0;
        var committedBefore = new List<int>();
        Exception race = lostTo == "deadlock"
            // What EF throws on PostgreSQL when two nodes' chunks deadlock (40P01) and no retrying strategy is set.
            ? new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new DbUpdateException("deadlock detected"))
            // As when another node fulfilled one of its orders first.
            : new DbUpdateConcurrencyException("Another node fulfilled one of these orders first.");

        var fulfilled = await WithFulfilmentAsync(f =>
        {
            // The batch's save is refused racesLost times. BeforeCommit runs for each order of a transaction about to
            // commit; it notes how many of the orders other transactions had committed Fulfilled by then.
            f.BeforeCommit = async (_, ct) =>
            {
                await using (var db = ForMerchant(app, sale.MerchantId))
                    committedBefore.Add(await db.Orders.CountAsync(o => orderIds.Contains(o.Id) && o.Status == OrderStatus.Fulfilled, ct));
                if (Interlocked.Increment(ref commits) <= racesLost)
                    throw race;
            };
            return f.FulfilBatchAsync(sale.MerchantId, orderIds, CancellationToken.None);
        });

        Assert.Equal(orderIds.Order(), fulfilled.Order());
        // Lost once: the batch, read again, commits its three orders together. Lost on each of its three attempts: the
        // orders go one transaction each.
        Assert.Equal(racesLost == 1 ? [0, 0, 0, 0] : [0, 0, 0, 0, 1, 2], committedBefore);
        foreach (var orderId in orderIds)
            await AssertFulfilledOnceAsync(app, sale, await OrderAsync(app, sale, orderId), coupons: 2);
        Assert.Equal(3, (await MembershipsAsync(app, sale)).Count);
    }

    [Fact]
    public async Task APaidOrderWhoseHandOffWasLostIsFulfilledByTheSweepOnce()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        // Recorded as Paid a while ago by a process that stopped before its pipeline fulfilled it.
        await MarkPaidAsync(app, sale, orderId);
        await using (var db = ForMerchant(app, sale.MerchantId))
            await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.PaidAt, DateTimeOffset.UtcNow.AddMinutes(-5)));

        var first = await app.Factory.WithScopeAsync(sp => sp.GetRequiredService<PaidOrderSweepJob>().RunAsync(CancellationToken.None));
        var second = await app.Factory.WithScopeAsync(sp => sp.GetRequiredService<PaidOrderSweepJob>().RunAsync(CancellationToken.None));

        Assert.True(first >= 1);
        Assert.Equal(0, second);
        await AssertFulfilledOnceAsync(app, sale, await OrderAsync(app, sale, orderId), coupons: 1);
    }

    [Fact]
    public async Task ACallbackIsAnsweredOnlyOnceItsPaymentIsCommittedAndTheCardFollowsWithoutAnyJob()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var (body, signature) = await CallbackOfAsync(app, sale, orderId);

        var answer = await PostCallbackAsync(app, body, signature);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains((await OrderAsync(app, sale, orderId)).Ledger, e => e.Kind == OrderLedgerKind.PaymentReceived);
        var order = await AwaitStatusAsync(app, sale, orderId);
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 1);
        await using var db = ForMerchant(app, sale.MerchantId);
        Assert.Equal(order.Ledger.Count, (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId)).LedgerLength);
    }

    [Fact]
    public async Task OnlyTheCallbackThatPaysAnOrderHandsItToFulfilmentNotADuplicateOfAnOrderAlreadyPaid()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        PaymentNotice notice;
        await using (var db = ForMerchant(app, sale.MerchantId))
        {
            var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
            notice = new PaymentNotice(sale.MerchantId, order.PaymentId!, orderId, order.Price);
        }

        // Twice in one batch (the first pays, the second is its duplicate), then again in a later batch, as from another node.
        var first = await RecordAsync([notice, notice]);
        var later = await RecordAsync([notice]);

        Assert.Equal([new PaymentRecorded(CallbackOutcome.Accepted, orderId), new PaymentRecorded(CallbackOutcome.Accepted, orderId)], first);
        Assert.Equal([new PaymentRecorded(CallbackOutcome.Accepted, null)], later);
        await using var check = ForMerchant(app, sale.MerchantId);
        Assert.Equal((OrderStatus.Paid, 3), await check.Orders.Where(o => o.Id == orderId)
            .Select(o => new { o.Status, Received = o.Ledger.Count(l => l.Kind == OrderLedgerKind.PaymentReceived) })
            .Select(o => ValueTuple.Create(o.Status, o.Received)).SingleAsync());

        async Task<IReadOnlyList<PaymentRecorded>> RecordAsync(IReadOnlyList<PaymentNotice> notices)
        {
            using var scope = app.Factory.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<PaymentRecording>().RecordAsync(sale.MerchantId, notices, CancellationToken.None);
        }
    }

    private async Task<int> CouponsOfActivityAsync(OnSalePlan sale, Guid couponActivityId, IEnumerable<Guid> membershipIds)
    {
        var ids = membershipIds.ToList();
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.Coupons.CountAsync(c => c.CouponActivityId == couponActivityId && ids.Contains(c.MembershipId));
    }

    private async Task<T> WithFulfilmentAsync<T>(Func<OrderFulfilment, Task<T>> act)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<OrderFulfilment>());
    }
}
