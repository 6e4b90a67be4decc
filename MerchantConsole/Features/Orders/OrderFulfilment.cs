using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

public enum FulfilOutcome
{
    Fulfilled,
    /// <summary>Nothing to do: the order is not Paid (already fulfilled, or not paid yet).</summary>
    NothingToDo,
}

/// <summary>
/// Fulfils a paid order exactly once, in one transaction: the membership (through <see cref="MembershipEnrolment.StageAsync"/>,
/// a Purchase enrolment) with its card number, the plan's "on join" coupons (through <see cref="CouponIssuer"/> with the
/// keys the <see cref="MemberJoined"/> handler uses, so its later delivery issues nothing) and the order's Fulfilled status
/// with its ledger. A customer already in the plan renews instead. Two runs at once: the unique index (customer, plan) or
/// the order's concurrency stamp fails the slower save, whose retry finds the order Fulfilled. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderFulfilment(ProviderContextOptions contextOptions, MembershipEnrolment enrolment, ICouponCodeRandom codes,
    TimeProvider clock, ILogger<OrderFulfilment> logger)
{
    private const string Actor = "fulfilment";

    /// <summary>Test seam: runs after everything is saved and before the commit, so a test can crash a fulfilment there.</summary>
    public Func<Order, CancellationToken, Task>? BeforeCommit { get; set; }

    [Hangfire.AutomaticRetry(Attempts = 10)]
    public async Task<FulfilOutcome> FulfilAsync(Guid merchantId, Guid orderId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(merchantId, Actor);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var order = await db.Orders.Include(o => o.Ledger).SingleOrDefaultAsync(o => o.Id == orderId, ct);
            if (order is not { Status: OrderStatus.Paid })
                return FulfilOutcome.NothingToDo;
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId, ct);
            try
            {
                var staged = await enrolment.StageAsync(db, new EnrolRequest(order.PlanId, order.TierId, order.JoinChannelId,
                    new CustomerDetails(customer.Phone, customer.Name), EnrolmentSource.Purchase), ct);
                var membershipId = staged.MembershipId!.Value;
                if (staged.Outcome == EnrolOutcome.AlreadyMember)
                    await RenewAsync(db, order, membershipId, ct);
                else
                {
                    // The membership is saved first: its coupons refer to it.
                    await db.SaveChangesAsync(ct);
                    var joined = db.Memberships.Local.Single(m => m.Id == membershipId).JoinedMessage();
                    var coupons = await IssueOnJoinAsync(db, merchantId, joined, ct);
                    order.MarkFulfilled(membershipId, staged.CardNumber!, coupons, clock.GetUtcNow());
                }
                await db.SaveChangesAsync(ct);
                if (BeforeCommit is { } beforeCommit)
                    await beforeCommit(order, ct);
                await transaction.CommitAsync(ct);
                return FulfilOutcome.Fulfilled;
            }
            catch (DbUpdateException) when (attempt < MembershipEnrolment.MaxAttempts)
            {
                // Another run fulfilled the order (or drew the same card number, or a coupon code) first; look again on a fresh context.
            }
        }
    }

    private async Task<int> IssueOnJoinAsync(MerchantDbContext db, Guid merchantId, MemberJoined joined, CancellationToken ct)
    {
        var issues = await CouponBenefits.OnJoinAsync(db, merchantId, joined, ct);
        if (issues.Count == 0)
            return 0;
        // IssueInAsync works on this context and inside this transaction; its own factory is never used.
        var issuer = new CouponIssuer(new MerchantDbContextFactory(contextOptions, db.Scope), codes);
        var issued = 0;
        foreach (var (benefit, request) in issues)
        {
            var result = await issuer.IssueInAsync(db, request, joined.JoinedAt, ct);
            if (result.HasCoupon)
                issued++;
            else
                logger.LogWarning("Benefit {Benefit} issued no coupon to member {Membership} on purchase: {Refusal}",
                    benefit.BenefitId, joined.MembershipId, result.Refusal?.English);
        }
        return issued;
    }

    /// <summary>The customer already holds the plan: the order extends the membership by the tier's or plan's duration.</summary>
    private async Task RenewAsync(MerchantDbContext db, Order order, Guid membershipId, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleAsync(m => m.Id == membershipId, ct);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == order.PlanId, ct);
        var tier = plan.Tiers.SingleOrDefault(t => t.Id == order.TierId) ?? plan.Tiers.Single(t => t.Id == membership.TierId);
        var merchant = await db.Merchants.AsNoTracking().SingleAsync(m => m.Id == order.MerchantId, ct);
        var now = clock.GetUtcNow();
        var from = membership.ExpiresAt;
        var to = membership.RenewedExpiry(plan, tier, TimeZoneInfo.FindSystemTimeZoneById(merchant.TimeZoneId), now);
        membership.Renew(to, now);
        order.MarkRenewed(membership.Id, from, to, now);
    }
}
