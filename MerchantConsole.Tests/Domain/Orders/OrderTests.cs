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
}
