using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

public enum FulfilOutcome
{
    Fulfilled,
    /// <summary>Nothing to do: the order is not Paid (already fulfilled, or not paid yet).</summary>
    NothingToDo,
}

/// <summary>
/// Fulfils a paid order exactly once: the membership (through <see cref="MembershipEnrolment.StageAsync"/>, a Purchase
/// enrolment) and the order's Fulfilled status are one save. Two runs at once: the unique index (customer, plan) or the
/// order's concurrency stamp fails the slower save, whose retry finds the order Fulfilled. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderFulfilment(ProviderContextOptions contextOptions, MembershipEnrolment enrolment, TimeProvider clock)
{
    private const string Actor = "fulfilment";

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
                order.MarkFulfilled(staged.MembershipId!.Value, clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return FulfilOutcome.Fulfilled;
            }
            catch (DbUpdateException) when (attempt < MembershipEnrolment.MaxAttempts)
            {
                // Another run fulfilled the order (or drew the same card number) first; look again on a fresh context.
            }
        }
    }
}
