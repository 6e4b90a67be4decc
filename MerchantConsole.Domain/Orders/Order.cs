using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Orders;

public enum OrderStatus
{
    Pending,
    Paid,
    Fulfilled,
    Expired,
    Cancelled,
    Refunded,
}

public enum OrderLedgerKind
{
    Placed,
    PaymentCreated,
    /// <summary>A payment callback whose signature and amount were right; every one is recorded, duplicate or not.</summary>
    PaymentReceived,
    /// <summary>A callback refused for its amount or currency.</summary>
    PaymentRefused,
    Fulfilled,
    Expired,
}

/// <summary>
/// A customer's order for a plan's membership product (merchant-owned). Pending → Paid → Fulfilled, or Pending →
/// Expired. Everything that happens to it is a row of its ledger. One order per customer and idempotency key.
/// </summary>
public sealed class Order : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxIdempotencyKeyLength = 64;
    public const int MaxPaymentIdLength = 64;

    private readonly List<OrderLedgerEntry> _ledger = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid CustomerId { get; private set; }
    public Guid PlanId { get; private set; }
    public Guid TierId { get; private set; }
    public Guid JoinChannelId { get; private set; }
    public Guid ProductId { get; private set; }
    public long PriceMinorUnits { get; private set; }
    public string Currency { get; private set; } = "";
    public OrderStatus Status { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    /// <summary>True while a unit of the product's stock is held for this order.</summary>
    public bool StockReserved { get; private set; }
    public string? PaymentId { get; private set; }
    public Guid? MembershipId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>An unpaid order expires at this instant and gives its stock back.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? FulfilledAt { get; private set; }
    /// <summary>How many ledger entries the order has; numbers the next one, so the ledger reads in the order it happened.</summary>
    public int LedgerLength { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }
    public IReadOnlyList<OrderLedgerEntry> Ledger => _ledger;

    public Money Price => new(PriceMinorUnits, Currency);

    private Order() { }

    public static Order Place(Guid merchantId, Guid customerId, Guid planId, Guid tierId, Guid channelId, Guid productId, Money price,
        string idempotencyKey, bool stockReserved, DateTimeOffset now, TimeSpan payWithin)
    {
        var key = NormaliseKey(idempotencyKey);
        if (price.MinorUnits <= 0)
            throw new DomainException("Order.PriceNotPositive", "This product has no price to pay.");
        var order = new Order
        {
            Id = Guid.CreateVersion7(now),
            MerchantId = merchantId,
            CustomerId = customerId,
            PlanId = planId,
            TierId = tierId,
            JoinChannelId = channelId,
            ProductId = productId,
            PriceMinorUnits = price.MinorUnits,
            Currency = price.Currency,
            Status = OrderStatus.Pending,
            IdempotencyKey = key,
            StockReserved = stockReserved,
            CreatedAt = now,
            ExpiresAt = now + payWithin,
        };
        order.Record(OrderLedgerKind.Placed, now, $"{price.MinorUnits} {price.Currency}");
        return order;
    }

    /// <summary>An idempotency key as stored: trimmed, 1 to 64 visible ASCII characters.</summary>
    public static string NormaliseKey(string? key)
    {
        key = key?.Trim() ?? "";
        if (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
            throw new DomainException("Order.IdempotencyKeyInvalid",
                "The Idempotency-Key header is required: 1 to {Max} visible ASCII characters.", ("Max", MaxIdempotencyKeyLength));
        return key;
    }

    public void AttachPayment(string paymentId, DateTimeOffset now)
    {
        if (PaymentId == paymentId)
            return;
        if (PaymentId is not null)
            throw new DomainException("Order.PaymentAlreadyCreated", "This order already has a payment.");
        PaymentId = paymentId;
        Record(OrderLedgerKind.PaymentCreated, now, paymentId);
    }

    /// <summary>
    /// Records a verified payment callback. The first one for the right amount marks the order Paid; every later one
    /// (a duplicate) is recorded and changes nothing. Returns true when the order is Paid and not yet fulfilled.
    /// </summary>
    public bool RecordPayment(string paymentId, Money amount, DateTimeOffset now)
    {
        if (PaymentId is null || paymentId != PaymentId)
            throw new DomainException("Order.PaymentUnknown", "That payment is not this order's.");
        if (amount != Price)
        {
            Record(OrderLedgerKind.PaymentRefused, now, $"{paymentId}: {amount.MinorUnits} {amount.Currency}, expected {PriceMinorUnits} {Currency}");
            return false;
        }
        Record(OrderLedgerKind.PaymentReceived, now, paymentId);
        if (Status is OrderStatus.Pending or OrderStatus.Expired)
        {
            // A payment arriving after expiry is still the customer's money: the order is served.
            Status = OrderStatus.Paid;
            PaidAt = now;
        }
        return Status == OrderStatus.Paid;
    }

    public void MarkFulfilled(Guid membershipId, DateTimeOffset now)
    {
        if (Status != OrderStatus.Paid)
            throw new DomainException("Order.NotPaid", "Only a paid order is fulfilled; this one is {Status}.", ("Status", Status));
        Status = OrderStatus.Fulfilled;
        MembershipId = membershipId;
        FulfilledAt = now;
        Record(OrderLedgerKind.Fulfilled, now, membershipId.ToString());
    }

    /// <summary>An unpaid order past its time expires; returns true when it held stock to give back.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Status != OrderStatus.Pending || now < ExpiresAt)
            return false;
        Status = OrderStatus.Expired;
        var held = StockReserved;
        StockReserved = false;
        Record(OrderLedgerKind.Expired, now, null);
        return held;
    }

    private void Record(OrderLedgerKind kind, DateTimeOffset now, string? detail) =>
        _ledger.Add(new OrderLedgerEntry(Id, MerchantId, ++LedgerLength, kind, now, detail));
}

/// <summary>One thing that happened to an order, in the order it happened.</summary>
public sealed class OrderLedgerEntry : IMerchantOwned, IAggregatePart, INotAudited
{
    public const int MaxDetailLength = 200;

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid MerchantId { get; private set; }
    /// <summary>1, 2, 3… within the order.</summary>
    public int Sequence { get; private set; }
    public OrderLedgerKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? Detail { get; private set; }

    private OrderLedgerEntry() { }

    internal OrderLedgerEntry(Guid orderId, Guid merchantId, int sequence, OrderLedgerKind kind, DateTimeOffset at, string? detail)
    {
        Sequence = sequence;
        Id = Guid.CreateVersion7(at);
        OrderId = orderId;
        MerchantId = merchantId;
        Kind = kind;
        At = at;
        Detail = detail is { Length: > MaxDetailLength } ? detail[..MaxDetailLength] : detail;
    }
}
