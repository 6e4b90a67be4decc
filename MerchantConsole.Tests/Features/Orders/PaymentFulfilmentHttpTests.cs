using System.Net;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Orders.PaymentsHarness;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Orders;

/// <summary>Fulfilment through the real pipeline: coupons with the card, callback replays, a crash mid-way, renewal, sandbox delivery modes.</summary>
[Collection(AppCollection.Name)]
public sealed class PaymentFulfilmentHttpTests(AppFixture app)
{
    [Fact]
    public async Task APaidOrderGetsOneMembershipOneCardAndItsOnJoinCouponsInOneFulfilmentAndMemberJoinedAddsNone()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);

        var (_, order) = await FulfilledOrderAsync(app, sale);

        // The coupons are there the moment the order is Fulfilled: same transaction, not the message's later delivery.
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 2);
        Assert.Equal([OrderLedgerKind.Placed, OrderLedgerKind.PaymentCreated, OrderLedgerKind.PaymentReceived, OrderLedgerKind.Fulfilled,
            OrderLedgerKind.CardIssued, OrderLedgerKind.CouponsIssued], order.Ledger.OrderBy(e => e.Sequence).Select(e => e.Kind));
        await AwaitJoinedDeliveredAsync(app, sale, order.MembershipId!.Value);
        var coupons = await CouponsOfAsync(app, sale, order.MembershipId.Value);
        Assert.Equal(2, coupons.Count);
        Assert.All(coupons, c => Assert.StartsWith("join:", c.IssueKey));
    }

    [Fact]
    public async Task EachCallbackFifteenTimesInSequenceMakesOneMembershipOneCardAndTheRightCoupons()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var (body, signature) = await CallbackOfAsync(app, sale, orderId);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
            answers.Add((await PostCallbackAsync(app, body, signature)).StatusCode);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        var order = await AwaitStatusAsync(app, sale, orderId);
        Assert.Equal(15, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 2);
    }

    [Fact]
    public async Task TenCopiesOfACallbackAtOnceMakeOneMembershipOneCardAndTheRightCoupons()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var (body, signature) = await CallbackOfAsync(app, sale, orderId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostCallbackAsync(app, body, signature)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var order = await AwaitStatusAsync(app, sale, orderId);
        Assert.Equal(10, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 2);
    }

    [Fact]
    public async Task CallbacksOfSeveralOrdersInterleavedAndOutOfOrderFulfilEachOrderOnceWithItsOwnCard()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);
        var orderIds = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            using var client = await SignedInAsync(app, Aroma, NewPhone());
            orderIds.Add(await PlaceAsync(client, sale));
        }
        var now = DateTimeOffset.UtcNow;
        // Per order: the real callback, a stale retry stamped earlier and a later duplicate; all shuffled across orders.
        var callbacks = new List<(byte[] Body, string Signature)>();
        foreach (var orderId in orderIds)
            foreach (var paidAt in new[] { now, now.AddMinutes(-1), now.AddSeconds(5) })
                callbacks.Add(await CallbackOfAsync(app, sale, orderId, paidAt: paidAt));
        var shuffled = callbacks.OrderBy(_ => Random.Shared.Next()).ToList();

        var answers = new List<HttpStatusCode>();
        foreach (var batch in shuffled.Chunk(4))
            answers.AddRange((await Task.WhenAll(batch.Select(c => PostCallbackAsync(app, c.Body, c.Signature)))).Select(r => r.StatusCode));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        var cards = new List<string>();
        foreach (var orderId in orderIds)
        {
            var order = await AwaitStatusAsync(app, sale, orderId);
            Assert.Equal(3, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
            await AssertFulfilledOnceAsync(app, sale, order, coupons: 2);
            cards.Add(Assert.Single(await MembershipsAsync(app, sale, order.CustomerId)).CardNumber);
        }
        Assert.Equal(4, cards.Distinct().Count());
        Assert.Equal(4, (await MembershipsAsync(app, sale)).Count);
    }

    [Fact]
    public async Task ACallbackWithAWrongSignatureIsRefusedAndRecordedInItsOrdersLedgerAndAWrongAmountIsRefusedAndRecorded()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var (body, _) = await CallbackOfAsync(app, sale, orderId);
        var (cheap, cheapSignature) = await CallbackOfAsync(app, sale, orderId, new Money(100, "CNY"));

        var forged = await PostCallbackAsync(app, body, new string('0', 64));
        var wrongAmount = await PostCallbackAsync(app, cheap, cheapSignature);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongAmount.StatusCode);
        var order = await OrderAsync(app, sale, orderId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal("bad signature", Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.CallbackRefused).Detail);
        Assert.Contains("100 CNY", Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentRefused).Detail);
        Assert.Empty(await MembershipsAsync(app, sale));
    }

    [Fact]
    public async Task AFulfilmentKilledBeforeItsCommitLeavesNothingAndTheNextRunFulfilsExactlyOnce()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        // Paid without a callback, so no Hangfire job races the runs below.
        await using (var db = ForMerchant(app, sale.MerchantId))
        {
            var paid = await db.Orders.Include(o => o.Ledger).SingleAsync(o => o.Id == orderId);
            Assert.True(paid.RecordPayment(paid.PaymentId!, paid.Price, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var crashing = scope.ServiceProvider.GetRequiredService<OrderFulfilment>();
            crashing.BeforeCommit = (_, _) => throw new InvalidOperationException("killed mid-way");
            await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.FulfilAsync(sale.MerchantId, orderId, CancellationToken.None));
        }
        var afterCrash = await OrderAsync(app, sale, orderId);
        Assert.Equal(OrderStatus.Paid, afterCrash.Status);
        Assert.Empty(await MembershipsAsync(app, sale));
        await using (var db = ForMerchant(app, sale.MerchantId))
            Assert.False(await db.OutboxMessages.AnyAsync(m => m.Type == nameof(MemberJoined) && m.OccurredAt >= afterCrash.CreatedAt
                && m.Payload.Contains(sale.PlanId.ToString())));

        FulfilOutcome[] reruns;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var fulfilment = scope.ServiceProvider.GetRequiredService<OrderFulfilment>();
            reruns = [await fulfilment.FulfilAsync(sale.MerchantId, orderId, CancellationToken.None),
                await fulfilment.FulfilAsync(sale.MerchantId, orderId, CancellationToken.None)];
        }

        Assert.Equal([FulfilOutcome.Fulfilled, FulfilOutcome.NothingToDo], reruns);
        await AssertFulfilledOnceAsync(app, sale, await OrderAsync(app, sale, orderId), coupons: 2);
    }

    [Fact]
    public async Task BuyingAgainRenewsTheMembershipFromItsCurrentEndAndTheLedgerSaysRenewed()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1, validityDays: 30);
        var (client, first) = await FulfilledOrderAsync(app, sale);
        var joined = Assert.Single(await MembershipsAsync(app, sale, first.CustomerId));

        var secondId = await PlaceAsync(client, sale);
        var (body, signature) = await CallbackOfAsync(app, sale, secondId);
        Assert.Equal(HttpStatusCode.OK, (await PostCallbackAsync(app, body, signature)).StatusCode);
        var second = await AwaitStatusAsync(app, sale, secondId);

        Assert.Equal(OrderStatus.Fulfilled, second.Status);
        var renewed = Assert.Single(await MembershipsAsync(app, sale, first.CustomerId));
        Assert.Equal((joined.Id, joined.CardNumber, MembershipStatus.Active), (renewed.Id, renewed.CardNumber, renewed.Status));
        Assert.Equal(joined.ExpiresAt!.Value.AddDays(30), renewed.ExpiresAt);
        Assert.Equal((joined.ExpiresAt, renewed.ExpiresAt), (second.RenewedFrom, second.RenewedTo));
        var line = Assert.Single(second.Ledger, e => e.Kind == OrderLedgerKind.Renewed);
        Assert.Contains(" → ", line.Detail);
        Assert.DoesNotContain(second.Ledger, e => e.Kind == OrderLedgerKind.CardIssued);
        Assert.Single(await CouponsOfAsync(app, sale, joined.Id));
        client.Dispose();
    }

    [Fact]
    public async Task APaymentWhoseCallbackNeverComesIsFoundByTheReconcileJobAndFulfilled()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(app, sale, orderId)).PaymentId!;

        var paid = await app.NewClient().PostAsync($"{Sandbox(app).PayUrl(paymentId)}?delivery=Never", null);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(OrderStatus.Pending, (await OrderAsync(app, sale, orderId)).Status);
        await AgeAsync(sale, orderId);
        var found = await app.Factory.WithScopeAsync(sp => sp.GetRequiredService<PaymentReconcileJob>().RunAsync(CancellationToken.None));

        Assert.True(found >= 1);
        var order = await AwaitStatusAsync(app, sale, orderId);
        Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentReconciled);
        Assert.DoesNotContain(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentReceived);
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 1);
    }

    [Fact]
    public async Task APaymentOfAWrongAmountIsRefusedOnItsCallbackAndByTheReconcileJobAndRecordedOnce()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(app, sale, orderId)).PaymentId!;
        Assert.True(Sandbox(app).SetDelivery(paymentId, SandboxDelivery.WrongAmount));

        var paid = await app.NewClient().PostAsync(Sandbox(app).PayUrl(paymentId), null);
        await AgeAsync(sale, orderId);
        await app.Factory.WithScopeAsync(sp => sp.GetRequiredService<PaymentReconcileJob>().RunAsync(CancellationToken.None));
        await app.Factory.WithScopeAsync(sp => sp.GetRequiredService<PaymentReconcileJob>().RunAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var order = await OrderAsync(app, sale, orderId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Contains("19899 CNY", Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentRefused).Detail);
        Assert.DoesNotContain(order.Ledger, e => e.Kind is OrderLedgerKind.PaymentReceived or OrderLedgerKind.PaymentReconciled);
        Assert.Empty(await MembershipsAsync(app, sale));
    }

    [Theory]
    [InlineData(SandboxDelivery.Twice, 2)]
    [InlineData(SandboxDelivery.OutOfOrder, 2)]
    [InlineData(SandboxDelivery.Late, 1)]
    public async Task TheSandboxDeliveringTwiceOutOfOrderOrLateStillFulfilsOnce(SandboxDelivery mode, int callbacks)
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(app, sale, orderId)).PaymentId!;

        var paid = await app.NewClient().PostAsync($"{Sandbox(app).PayUrl(paymentId)}?delivery={mode}", null);

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var order = await AwaitStatusAsync(app, sale, orderId);
        Assert.Equal(callbacks, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        await AssertFulfilledOnceAsync(app, sale, order, coupons: 1);
    }

    [Fact]
    public async Task TheSandboxPayPageOffersEveryDeliveryMode()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 0);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);

        var page = await app.NewClient().GetStringAsync(Sandbox(app).PayUrl((await OrderAsync(app, sale, orderId)).PaymentId!));

        Assert.Contains("data-testid=\"sandbox-delivery\"", page);
        foreach (var mode in Enum.GetNames<SandboxDelivery>())
            Assert.Contains($"value=\"{mode}\"", page);
    }

    /// <summary>Makes the order look placed five minutes ago, past the reconcile job's wait.</summary>
    private async Task AgeAsync(OnSalePlan sale, Guid orderId)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5)));
    }
}
