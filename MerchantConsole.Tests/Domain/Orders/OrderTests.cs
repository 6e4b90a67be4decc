using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;

namespace MerchantConsole.Tests.Domain.Orders;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    private static Order Placed(bool stock = true)
    {
        var order = Order.Place(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            new Money(19_900, "CNY"), " key-1 ", stock, Now, TimeSpan.FromMinutes(15));
        order.AttachPayment("sbx_1", Now);
        return order;
    }

    [Fact]
    public void AnUnpaidOrderExpiresOnlyOnceItsTimeIsUpAndThenGivesItsStockBack()
    {
        var order = Placed();

        var early = order.Expire(Now.AddMinutes(14));
        var due = order.Expire(Now.AddMinutes(15));

        Assert.False(early);
        Assert.True(due);
        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.False(order.StockReserved);
        Assert.Equal("key-1", order.IdempotencyKey);
    }

    [Fact]
    public void APaidOrderNeitherExpiresNorIsFulfilledTwice()
    {
        var order = Placed();

        Assert.True(order.RecordPayment("sbx_1", new Money(19_900, "CNY"), Now));
        order.MarkFulfilled(Guid.NewGuid(), Now);

        Assert.False(order.Expire(Now.AddDays(1)));
        Assert.False(order.RecordPayment("sbx_1", new Money(19_900, "CNY"), Now));
        Assert.Equal("Order.NotPaid", Assert.Throws<DomainException>(() => order.MarkFulfilled(Guid.NewGuid(), Now)).Refusal.Code);
        Assert.Equal([1, 2, 3, 4, 5], order.Ledger.Select(e => e.Sequence));
    }

    [Fact]
    public void AWrongAmountIsRecordedAndLeavesTheOrderPendingAndAnotherPaymentIsRefused()
    {
        var order = Placed();

        Assert.False(order.RecordPayment("sbx_1", new Money(1, "CNY"), Now));
        Assert.Equal("Order.PaymentUnknown",
            Assert.Throws<DomainException>(() => order.RecordPayment("sbx_2", new Money(19_900, "CNY"), Now)).Refusal.Code);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(OrderLedgerKind.PaymentRefused, order.Ledger[^1].Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("中文")]
    public void AnIdempotencyKeyMustBeVisibleAscii(string? key) =>
        Assert.Equal("Order.IdempotencyKeyInvalid", Assert.Throws<DomainException>(() => Order.NormaliseKey(key)).Refusal.Code);

    [Fact]
    public void OnlyAFulfilledOrderIsRefundedOnceAndTheLedgerSaysWhatWasRevoked()
    {
        var order = Placed();
        Assert.Equal("Order.NotRefundable", Assert.Throws<DomainException>(order.EnsureRefundable).Refusal.Code);
        Assert.True(order.RecordPayment("sbx_1", new Money(19_900, "CNY"), Now));
        var membershipId = Guid.NewGuid();
        order.MarkFulfilled(membershipId, "880000000019", 2, Now);

        order.RequestRefund("admin@aroma.demo", " Changed their mind ", Now);
        order.Refund(new RefundOutcome("880000000019", 2, RenewalTakenBack: false), Now);

        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(Now, order.RefundedAt);
        Assert.Equal([OrderLedgerKind.Fulfilled, OrderLedgerKind.CardIssued, OrderLedgerKind.CouponsIssued, OrderLedgerKind.RefundRequested,
            OrderLedgerKind.Refunded], order.Ledger.Skip(3).Select(e => e.Kind));
        Assert.Equal("admin@aroma.demo: Changed their mind", order.Ledger[^2].Detail);
        Assert.Equal("880000000019: card revoked, 2 coupons revoked", order.Ledger[^1].Detail);
        Assert.Equal("Order.AlreadyRefunded",
            Assert.Throws<DomainException>(() => order.Refund(new RefundOutcome("880000000019", 0, false), Now)).Refusal.Code);
    }

    [Fact]
    public void CallbacksWithAWrongSignatureAreRecordedAtMostTwentyTimes()
    {
        var order = Placed();

        var recorded = Enumerable.Range(0, 25).Count(_ => order.RecordRefusedCallback("bad signature", Now));

        Assert.Equal(Order.MaxRefusedCallbacks, recorded);
        Assert.Equal(Order.MaxRefusedCallbacks, order.Ledger.Count(e => e.Kind == OrderLedgerKind.CallbackRefused));
    }

    [Fact]
    public void AReconciledPaymentIsRecordedAsSuchAndTheSameWrongAmountFoundAgainIsRecordedOnce()
    {
        var wrong = Placed();
        Assert.False(wrong.RecordPayment("sbx_1", new Money(19_899, "CNY"), Now, reconciled: true));
        Assert.False(wrong.RecordPayment("sbx_1", new Money(19_899, "CNY"), Now, reconciled: true));
        var right = Placed();

        Assert.True(right.RecordPayment("sbx_1", new Money(19_900, "CNY"), Now, reconciled: true));

        Assert.Single(wrong.Ledger, e => e.Kind == OrderLedgerKind.PaymentRefused);
        Assert.Equal(OrderStatus.Paid, right.Status);
        Assert.Equal(OrderLedgerKind.PaymentReconciled, right.Ledger[^1].Kind);
    }
}
