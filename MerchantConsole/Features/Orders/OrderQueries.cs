using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

public sealed record OrderListQuery(string? Search, OrderStatus? Status, Guid? PlanId, int Page, int PageSize);

public sealed record OrderRow(Guid Id, DateTimeOffset CreatedAt, string CustomerName, string CustomerPhone, string PlanName,
    long PriceMinorUnits, string Currency, OrderStatus Status, DateTimeOffset? PaidAt, Guid? MembershipId)
{
    public Money Price => new(PriceMinorUnits, Currency);
}

public sealed record OrderListResult(IReadOnlyList<OrderRow> Rows, int Total);

public sealed record OrderPlanOption(Guid Id, string Name);

/// <summary>The staff order page's read model: the order with its ledger, and what it bought.</summary>
public sealed record OrderDetails(Order Order, Customer Customer, string PlanName, string TierName, string ProductName,
    string? CardNumber, MembershipStatus? MembershipStatus);

/// <summary>
/// Reads behind the staff order list and order page, each on its own context from the scoped factory, so they only
/// ever see the signed-in merchant's orders (another merchant's order id is simply not found).
/// </summary>
public sealed class OrderQueries(IDbContextFactory<MerchantDbContext> contexts)
{
    public const int MaxSearchLength = 100;

    /// <summary>Newest first. A search matches the order id, the customer's name, or the digits of their phone.</summary>
    public async Task<OrderListResult> ListAsync(OrderListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows =
            from o in db.Orders.AsNoTracking()
            join c in db.Customers.AsNoTracking() on o.CustomerId equals c.Id
            join p in db.MembershipPlans.AsNoTracking() on o.PlanId equals p.Id
            select new { o, c, PlanName = p.Name };

        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            search = TextLength.Clip(search, MaxSearchLength);
            if (Guid.TryParse(search, out var orderId))
                rows = rows.Where(r => r.o.Id == orderId);
            else
            {
                var name = LikePattern.Containing(search);
                if (PhoneNumber.DigitsOf(search) is { } digits)
                {
                    var number = LikePattern.Containing(digits);
                    rows = rows.Where(r => EF.Functions.Like(r.c.Phone, number, LikePattern.Escape) || EF.Functions.Like(r.c.Name, name, LikePattern.Escape));
                }
                else
                    rows = rows.Where(r => EF.Functions.Like(r.c.Name, name, LikePattern.Escape));
            }
        }
        if (query.Status is { } status)
            rows = rows.Where(r => r.o.Status == status);
        if (query.PlanId is { } planId)
            rows = rows.Where(r => r.o.PlanId == planId);

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows
            .OrderByDescending(r => r.o.CreatedAt).ThenBy(r => r.o.Id)
            .Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new OrderListResult(
            [.. page.Select(r => new OrderRow(r.o.Id, r.o.CreatedAt, r.c.Name, r.c.Phone, r.PlanName, r.o.PriceMinorUnits, r.o.Currency,
                r.o.Status, r.o.PaidAt, r.o.MembershipId))],
            total);
    }

    /// <summary>The plans the merchant has sold cards of, for the list's filter.</summary>
    public async Task<IReadOnlyList<OrderPlanOption>> PlansAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plans = await db.MembershipPlans.AsNoTracking()
            .Where(p => db.Orders.Any(o => o.PlanId == p.Id))
            .Select(p => new OrderPlanOption(p.Id, p.Name))
            .ToListAsync(cancellationToken);
        return [.. plans.OrderBy(p => p.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>Null when the signed-in merchant has no such order (another merchant's id included).</summary>
    public async Task<OrderDetails?> DetailsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().Include(o => o.Ledger).SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null)
            return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId, cancellationToken);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == order.PlanId, cancellationToken);
        var tier = plan.Tiers.SingleOrDefault(t => t.Id == order.TierId);
        var product = plan.Tiers.SelectMany(t => t.JoinChannels).Select(c => c.Product).FirstOrDefault(p => p?.Id == order.ProductId);
        var membership = order.MembershipId is { } membershipId
            ? await db.Memberships.AsNoTracking().Where(m => m.Id == membershipId)
                .Select(m => new { m.CardNumber, m.Status }).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new OrderDetails(order, customer, plan.Name, tier?.Name ?? "—", product?.Name ?? "—", membership?.CardNumber, membership?.Status);
    }
}
