using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

public sealed class OrderOptions
{
    public const string Section = "Orders";
    /// <summary>How long an unpaid order holds its stock before it expires.</summary>
    public TimeSpan PayWithin { get; set; } = TimeSpan.FromMinutes(15);
    public string ExpiryCron { get; set; } = "* * * * *";
    public int ExpiryBatchSize { get; set; } = 500;
    /// <summary>How often the <c>payment-reconcile</c> job asks the provider about orders still waiting for their callback.</summary>
    public string ReconcileCron { get; set; } = "*/2 * * * *";
    /// <summary>A Pending order's payment is looked up once it is this old (its callback is overdue).</summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromSeconds(60);
    public int ReconcileBatchSize { get; set; } = 200;
    /// <summary>At most this many payment callbacks are recorded in one commit (the group commit takes whatever arrived meanwhile).</summary>
    public int RecordBatchSize { get; set; } = 256;
    /// <summary>
    /// At most this many Paid orders are fulfilled in one transaction. A callback that arrives meanwhile waits for the
    /// chunk (on SQLite, for its one writer): 30 kept the answer p95 near 40 ms where 50 gave 50 ms, at 650–700 orders/s
    /// either way on the fulfilment benchmark (README).
    /// </summary>
    public int FulfilBatchSize { get; set; } = 30;
    /// <summary>Paid orders gather into a chunk for at most this long (a chunk's cost is mostly fixed); a full chunk goes at once.</summary>
    public TimeSpan FulfilWithin { get; set; } = TimeSpan.FromMilliseconds(250);
    /// <summary>How often the <c>paid-order-sweep</c> job looks for Paid orders nobody fulfilled (it also runs at start).</summary>
    public string SweepCron { get; set; } = "* * * * *";
    /// <summary>A Paid order is the sweep's once it has waited this long (the in-process hand-off normally takes well under a second).</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(30);
    public int SweepBatchSize { get; set; } = 2000;
}

public sealed record OrderLedgerLine(string Kind, DateTimeOffset At, string? Detail);

public sealed record OrderView(Guid Id, string Status, Guid PlanId, Guid TierId, Guid ProductId, long PriceMinorUnits, string Currency,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? PaidAt, DateTimeOffset? FulfilledAt, string? PaymentId,
    string? PayUrl, Guid? MembershipId, IReadOnlyList<OrderLedgerLine> Ledger, DateTimeOffset? RefundedAt = null, bool IsRenewal = false);

public sealed record PlaceOrderResult(OrderView? Order, bool Created, Refusal? Refusal = null, bool NotFound = false);

/// <summary>
/// Places and reads customers' orders. Placing is idempotent per customer and idempotency key: the unique index decides
/// a race, and the loser returns the winner's order. Stock is taken by an update conditional on what is left, in the
/// same transaction as the order. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderService(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock, IPaymentProvider payments,
    IOptions<OrderOptions> options)
{
    public async Task<PlaceOrderResult> PlaceAsync(Guid customerId, Guid planId, Guid productId, string? idempotencyKey, CancellationToken ct = default)
    {
        string key;
        try
        {
            key = Order.NormaliseKey(idempotencyKey);
        }
        catch (DomainException refusal)
        {
            return new PlaceOrderResult(null, false, refusal.Refusal);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            if (await ExistingAsync(db, customerId, key, ct) is { } existing)
                return existing.PlanId == planId && existing.ProductId == productId
                    ? new PlaceOrderResult(View(existing), false)
                    : new PlaceOrderResult(null, false, Refusal.Of("Order.IdempotencyKeyReused",
                        "That Idempotency-Key was already used for another order."));

            var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == planId && p.Status == PlanStatus.Active, ct);
            var channel = plan?.Tiers.Where(t => !plan.IsPendingRevision(t)).SelectMany(t => t.JoinChannels)
                .FirstOrDefault(c => c.Product?.Id == productId && c.Type == JoinChannelType.Purchase && c.Enabled && !plan.IsPendingRevision(c));
            if (plan is null || channel?.Product is not { Status: ProductStatus.Active } product || plan.IsPendingRevision(product))
                return new PlaceOrderResult(null, false, Refusal.Of("Order.ProductNotOnSale", "That plan sells no such product."), NotFound: true);
            var tier = plan.Tiers.Single(t => t.JoinChannels.Contains(channel));

            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var reserved = false;
            if (product.Stock is not null)
            {
                reserved = await db.Set<MembershipProduct>().Where(p => p.Id == product.Id && p.Stock > 0)
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.Stock, p => p.Stock - 1), ct) == 1;
                if (!reserved)
                    return new PlaceOrderResult(null, false, Refusal.Of("Order.SoldOut", "“{Product}” is sold out.", ("Product", product.Name)));
            }
            try
            {
                var order = Order.Place(plan.MerchantId, customerId, plan.Id, tier.Id, channel.Id, product.Id, product.Price, key, reserved,
                    now, options.Value.PayWithin);
                var payment = await payments.CreatePaymentAsync(new PaymentRequest(order.MerchantId, order.Id, order.Price), ct);
                order.AttachPayment(payment.PaymentId, now);
                db.Orders.Add(order);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return new PlaceOrderResult(View(order), true);
            }
            catch (DomainException refusal)
            {
                return new PlaceOrderResult(null, false, refusal.Refusal);
            }
            catch (DbUpdateException) when (attempt < 4)
            {
                // The same customer and key placed at once: the transaction (and its stock) is rolled back; the next
                // attempt finds the winner's order.
            }
        }
    }

    public async Task<IReadOnlyList<OrderView>> MineAsync(Guid customerId, Guid? orderId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Orders.AsNoTracking().Include(o => o.Ledger).Where(o => o.CustomerId == customerId);
        if (orderId is { } id)
            query = query.Where(o => o.Id == id);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Take(100).ToListAsync(ct);
        return [.. orders.Select(View)];
    }

    private static Task<Order?> ExistingAsync(MerchantDbContext db, Guid customerId, string key, CancellationToken ct) =>
        db.Orders.AsNoTracking().Include(o => o.Ledger).SingleOrDefaultAsync(o => o.CustomerId == customerId && o.IdempotencyKey == key, ct);

    private OrderView View(Order o) => View(o, payments);

    public static OrderView View(Order o, IPaymentProvider payments) => new(o.Id, o.Status.ToString(), o.PlanId, o.TierId, o.ProductId, o.PriceMinorUnits, o.Currency,
        o.CreatedAt, o.ExpiresAt, o.PaidAt, o.FulfilledAt, o.PaymentId,
        o.PaymentId is { } paymentId && o.Status == OrderStatus.Pending ? payments.PayUrl(paymentId) : null, o.MembershipId,
        [.. o.Ledger.OrderBy(e => e.Sequence).Select(e => new OrderLedgerLine(e.Kind.ToString(), e.At, e.Detail))], o.RefundedAt, o.IsRenewal);
}
