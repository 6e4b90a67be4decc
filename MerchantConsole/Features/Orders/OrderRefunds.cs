using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

/// <param name="Refusal">Why the refund was refused (the order's ledger says so too); null when refunded.</param>
public sealed record RefundResult(OrderView? Order, Refusal? Refusal = null, bool NotFound = false)
{
    public bool Refunded => Order is not null && Refusal is null;
}

/// <summary>
/// Refunds a fulfilled order per its plan's <see cref="RefundPolicy"/>, in one transaction: the request, then Refunded
/// (the card revoked — the membership cancelled — and its unused coupons revoked; for a renewal, the time it bought
/// taken back) or RefundRefused with the reason, in the order's ledger; the provider's refund (idempotent per order)
/// before the commit. The save interceptor writes the audit trail under <c>actor</c>. A coupon redeemed at that moment
/// fails the save on its status (the coupon's concurrency token), and the retry sees it redeemed. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderRefunds(ProviderContextOptions contextOptions, IPaymentProvider payments, TimeProvider clock)
{
    private const int MaxAttempts = 5;
    public static readonly TextLimit ReasonLimit = Coupon.ReasonLimit;

    /// <summary>Staff refund an order of their merchant (the staff order page).</summary>
    public Task<RefundResult> RefundAsync(Guid merchantId, Guid orderId, string? reason, string actor, CancellationToken ct = default) =>
        RunAsync(merchantId, orderId, customerId: null, reason, actor, ct);

    /// <summary>A customer asks for a refund of one of their orders (storefront); accepted or refused per the plan's policy.</summary>
    public Task<RefundResult> RequestAsync(Guid merchantId, Guid customerId, Guid orderId, string? reason, CancellationToken ct = default) =>
        RunAsync(merchantId, orderId, customerId, reason, $"customer:{customerId:N}", ct);

    private async Task<RefundResult> RunAsync(Guid merchantId, Guid orderId, Guid? customerId, string? reason, string actor, CancellationToken ct)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        try
        {
            if (reason is not null)
                ReasonLimit.Enforce(reason, "RefundReason", "A refund reason");
        }
        catch (DomainException refusal)
        {
            return new RefundResult(null, refusal.Refusal);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(merchantId, actor);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var order = await db.Orders.Include(o => o.Ledger)
                .SingleOrDefaultAsync(o => o.Id == orderId && (customerId == null || o.CustomerId == customerId), ct);
            if (order is null)
                return new RefundResult(null, Refusal.Of("Order.NotFound", "You have no such order."), NotFound: true);
            if (order.Status == OrderStatus.Refunded) // asked again: the answer is the refund already made
                return new RefundResult(OrderService.View(order, payments));
            var now = clock.GetUtcNow();
            order.RequestRefund(actor, reason, now);
            Refusal? refused = null;
            try
            {
                order.EnsureRefundable();
                var outcome = await RevokeAsync(db, order, reason ?? "Order refunded", actor, now, ct);
                await payments.RefundAsync(new PaymentRefundRequest(order.PaymentId!, order.Id, order.Price, reason), ct);
                order.Refund(outcome, now);
            }
            catch (DomainException refusal)
            {
                refused = refusal.Refusal;
                order.RefuseRefund(refused, now);
                // Only the ledger's two lines are kept: nothing was revoked.
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not Order and not OrderLedgerEntry).ToList())
                    entry.State = entry.State == EntityState.Added ? EntityState.Detached : EntityState.Unchanged;
            }
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                continue; // a coupon redeemed, the order or membership changed meanwhile: decide again on a fresh read
            }
            return new RefundResult(OrderService.View(order, payments), refused);
        }
    }

    /// <summary>What the plan's policy takes back: the card and its unused coupons, or a renewal's extension.</summary>
    private static async Task<RefundOutcome> RevokeAsync(MerchantDbContext db, Order order, string reason, string actor, DateTimeOffset now,
        CancellationToken ct)
    {
        var membership = await db.Memberships.SingleAsync(m => m.Id == order.MembershipId, ct);
        if (order.IsRenewal)
        {
            if (order.RenewedTo is { } to)
            {
                var start = order.RenewedFrom is { } from && from > order.FulfilledAt!.Value ? from : order.FulfilledAt!.Value;
                membership.TakeBackRenewal(to - start, now);
            }
            return new RefundOutcome(membership.CardNumber, 0, RenewalTakenBack: true);
        }
        var policy = await db.MembershipPlans.Where(p => p.Id == order.PlanId).Select(p => p.RefundPolicy).SingleAsync(ct);
        var coupons = await db.Coupons.Where(c => c.MembershipId == membership.Id).ToListAsync(ct);
        var used = coupons.Count(c => c.Status == CouponStatus.Redeemed);
        if (policy == RefundPolicy.RefuseWhenUsed && used > 0)
            throw new DomainException("Order.RefundCouponsUsed",
                "This order cannot be refunded: {Count} of the coupons that came with the card have been used.", ("Count", used));
        var unused = coupons.Where(c => c.Status == CouponStatus.Issued).ToList();
        foreach (var coupon in unused)
            coupon.Revoke(reason, now, actor);
        foreach (var activity in unused.GroupBy(c => c.CouponActivityId))
            await CouponStore.AddToCountersAsync(db, activity.Key, revoked: activity.Count(), ct: ct);
        membership.Cancel(now);
        return new RefundOutcome(membership.CardNumber, unused.Count, RenewalTakenBack: false);
    }
}
