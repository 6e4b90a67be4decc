using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

public sealed record IncompleteOrder(Guid OrderId, Guid MerchantId, string MerchantName, string CustomerPhone, string PlanName,
    long PriceMinorUnits, string Currency, DateTimeOffset PaidAt, int LedgerLength)
{
    public Money Price => new(PriceMinorUnits, Currency);
}

/// <summary>What a support action on an incomplete order came to.</summary>
public enum CompleteOutcome
{
    Completed,
    /// <summary>Nothing was missing any more: the order was fulfilled meanwhile, or is not paid.</summary>
    AlreadyComplete,
}

/// <summary>
/// Support's reconciliation report: paid orders whose ledger stops short of fulfilment for longer than fulfilment
/// normally takes, across merchants, and the action that completes one through the same exactly-once fulfilment as the
/// order pipeline, recorded as an audit entry with the support user's name and reason.
/// </summary>
public sealed class OrderReconciliation(ProviderContextOptions contexts, MerchantScope requestScope, OrderFulfilment fulfilment, TimeProvider clock)
{
    /// <summary>A paid order normally has its card within a second; one still waiting after this is worth a look.</summary>
    public static readonly TimeSpan Overdue = TimeSpan.FromMinutes(2);

    private const string AuditAction = "SupportCompleteOrder";

    public async Task<IReadOnlyList<IncompleteOrder>> IncompleteAsync(int take = 200, CancellationToken ct = default)
    {
        await using var db = contexts.CreateAcrossMerchants(SupportActor());
        var paidBefore = clock.GetUtcNow() - Overdue;
        return await (
                from o in db.Orders.AsNoTracking()
                where o.Status == OrderStatus.Paid && o.PaidAt <= paidBefore
                join m in db.Merchants.AsNoTracking() on o.MerchantId equals m.Id
                join c in db.Customers.AsNoTracking() on o.CustomerId equals c.Id
                join p in db.MembershipPlans.AsNoTracking() on o.PlanId equals p.Id
                orderby o.PaidAt
                select new IncompleteOrder(o.Id, o.MerchantId, m.Name, c.Phone, p.Name, o.PriceMinorUnits, o.Currency, o.PaidAt!.Value, o.LedgerLength))
            .Take(take).ToListAsync(ct);
    }

    public async Task<CompleteOutcome> CompleteAsync(Guid orderId, string? reason, CancellationToken ct = default)
    {
        var actor = SupportActor();
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Reconciliation.ReasonRequired", "Say why: the reason is kept with the action.");
        Guid merchantId;
        await using (var db = contexts.CreateAcrossMerchants(actor))
        {
            merchantId = await db.Orders.Where(o => o.Id == orderId).Select(o => (Guid?)o.MerchantId).SingleOrDefaultAsync(ct)
                         ?? throw new DomainException("Reconciliation.OrderNotFound", "That order was not found.");
        }
        var outcome = await fulfilment.FulfilAsync(merchantId, orderId, ct) == FulfilOutcome.Fulfilled
            ? CompleteOutcome.Completed
            : CompleteOutcome.AlreadyComplete;

        await using var audit = contexts.CreateForMerchant(merchantId, actor);
        audit.AuditEntries.Add(new AuditEntry
        {
            MerchantId = merchantId,
            At = clock.GetUtcNow(),
            UserId = requestScope.UserId,
            UserName = actor,
            EntityType = nameof(Order),
            EntityId = orderId.ToString(),
            AggregateType = nameof(Order),
            AggregateId = orderId.ToString(),
            Action = AuditAction,
            Changes = AuditEntry.WriteChanges(
            [
                new AuditChange("Outcome", null, outcome.ToString()),
                new AuditChange("Reason", null, reason.Trim()),
            ]),
        });
        await audit.SaveChangesAsync(ct);
        return outcome;
    }

    // Support staff have no merchant; a merchant's staff member never reaches these commands even if a page let them.
    private string SupportActor() =>
        requestScope.SupportUserName ?? throw new DomainException("Reconciliation.OnlySupport", "Only support staff can complete orders.");
}
