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
    /// <summary>The card fulfilment issued: membership id and card number.</summary>
    CardIssued,
    /// <summary>How many coupons fulfilment issued with the card ("on join" benefits).</summary>
    CouponsIssued,
    /// <summary>The customer already held the plan: the order extended the membership (old → new expiry).</summary>
    Renewed,
    /// <summary>A payment found by asking the provider (the reconcile job), for a callback that never came.</summary>
    PaymentReconciled,
    /// <summary>A callback refused before it was trusted (a wrong signature), recorded when its payment is this order's.</summary>
    CallbackRefused,
    RefundRequested,
    /// <summary>Refunded: the card revoked (or the renewal taken back) and how many unused coupons were revoked.</summary>
    Refunded,
    /// <summary>A refund refused, with the refusal's code.</summary>
    RefundRefused,
}

/// <summary>What a refund does to the card an order bought (the plan decides).</summary>
public sealed record RefundOutcome(string CardNumber, int CouponsRevoked, bool RenewalTakenBack);

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
    public DateTimeOffset? RefundedAt { get; private set; }
    /// <summary>For a renewal: the membership's expiry before and after this order extended it (a refund takes the difference back).</summary>
    public DateTimeOffset? RenewedFrom { get; private set; }
    public DateTimeOffset? RenewedTo { get; private set; }
    public bool IsRenewal { get; private set; }
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
    public bool RecordPayment(string paymentId, Money amount, DateTimeOffset now, bool reconciled = false)
    {
        if (PaymentId is null || paymentId != PaymentId)
            throw new DomainException("Order.PaymentUnknown", "That payment is not this order's.");
        if (amount != Price)
        {
            var detail = $"{paymentId}: {amount.MinorUnits} {amount.Currency}, expected {PriceMinorUnits} {Currency}";
            // The reconcile job asks again every run: one record of the same wrong payment is enough.
            if (!reconciled || !_ledger.Any(e => e.Kind == OrderLedgerKind.PaymentRefused && e.Detail == detail))
                Record(OrderLedgerKind.PaymentRefused, now, detail);
            return false;
        }
        Record(reconciled ? OrderLedgerKind.PaymentReconciled : OrderLedgerKind.PaymentReceived, now, paymentId);
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
        EnsurePaid();
        Status = OrderStatus.Fulfilled;
        MembershipId = membershipId;
        FulfilledAt = now;
        Record(OrderLedgerKind.Fulfilled, now, membershipId.ToString());
    }

    /// <summary>A new card: fulfilled → the card (membership and card number) → the coupons issued with it, in the ledger.</summary>
    public void MarkFulfilled(Guid membershipId, string cardNumber, int couponsIssued, DateTimeOffset now)
    {
        MarkFulfilled(membershipId, now);
        Record(OrderLedgerKind.CardIssued, now, $"{membershipId} {cardNumber}");
        Record(OrderLedgerKind.CouponsIssued, now, couponsIssued.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The customer already held the plan: the order is fulfilled by extending it from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void MarkRenewed(Guid membershipId, DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now)
    {
        MarkFulfilled(membershipId, now);
        IsRenewal = true;
        RenewedFrom = from;
        RenewedTo = to;
        Record(OrderLedgerKind.Renewed, now, $"{membershipId} {Instant(from)} → {Instant(to)}");
    }

    /// <summary>
    /// A callback whose signature was wrong but whose payment id is this order's; kept for the order page, at most
    /// <see cref="MaxRefusedCallbacks"/> (the body is untrusted: anyone can send one). Returns whether it was recorded.
    /// </summary>
    public bool RecordRefusedCallback(string reason, DateTimeOffset now)
    {
        if (_ledger.Count(e => e.Kind == OrderLedgerKind.CallbackRefused) >= MaxRefusedCallbacks)
            return false;
        Record(OrderLedgerKind.CallbackRefused, now, reason);
        return true;
    }

    public const int MaxRefusedCallbacks = 20;

    /// <summary>A refund asked for (by staff or the customer), recorded whatever the answer.</summary>
    public void RequestRefund(string by, string? reason, DateTimeOffset now) =>
        Record(OrderLedgerKind.RefundRequested, now, string.IsNullOrWhiteSpace(reason) ? by : $"{by}: {reason.Trim()}");

    /// <summary>Only a fulfilled order is refunded (a paid one is still being fulfilled; anything else has nothing to give back).</summary>
    public void EnsureRefundable()
    {
        if (Status == OrderStatus.Refunded)
            throw new DomainException("Order.AlreadyRefunded", "This order has already been refunded.");
        if (Status != OrderStatus.Fulfilled || MembershipId is null)
            throw new DomainException("Order.NotRefundable", "Only a fulfilled order can be refunded; this one is {Status}.", ("Status", Status));
    }

    public void Refund(RefundOutcome outcome, DateTimeOffset now)
    {
        EnsureRefundable();
        Status = OrderStatus.Refunded;
        RefundedAt = now;
        Record(OrderLedgerKind.Refunded, now, outcome.RenewalTakenBack
            ? $"{outcome.CardNumber}: renewal taken back"
            : $"{outcome.CardNumber}: card revoked, {outcome.CouponsRevoked} coupons revoked");
    }

    public void RefuseRefund(Refusal refusal, DateTimeOffset now) => Record(OrderLedgerKind.RefundRefused, now, refusal.Code);

    private void EnsurePaid()
    {
        if (Status != OrderStatus.Paid)
            throw new DomainException("Order.NotPaid", "Only a paid order is fulfilled; this one is {Status}.", ("Status", Status));
    }

    private static string Instant(DateTimeOffset? at) => at?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "permanent";

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
