using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Dashboard;

public sealed record TierMembers(string PlanName, string TierName, string TierColour, int Members);

/// <summary>One local day of the merchant: members who joined, and revenue of orders paid that day (refunded ones excluded).</summary>
public sealed record DayFigures(DateOnly Day, int NewMembers, long RevenueMinorUnits);

public sealed record MerchantOverview(int ActiveMembers, int PaidOrders, long CouponsIssued, long CouponsRedeemed, int StuckRuns,
    IReadOnlyList<TierMembers> ByTier, IReadOnlyList<DayFigures> Days, string Currency);

/// <summary>
/// The merchant dashboard's business figures, in the signed-in merchant's scope: active members by plan and tier,
/// new members and paid revenue per local day, coupons issued and redeemed (the activities' counters, never a count of
/// coupons), and activation runs stuck waiting for support.
/// </summary>
public sealed class MerchantOverviewService(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock)
{
    public const int Days = 30;

    public async Task<MerchantOverview> LoadAsync(TimeZoneInfo zone, string currency, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var today = LocalDays.DateOf(clock.GetUtcNow(), zone);
        var firstDay = today.AddDays(-(Days - 1));
        var from = LocalDays.StartOf(firstDay, zone);

        var tierCounts = await db.Memberships.AsNoTracking()
            .Where(m => m.Status == MembershipStatus.Active)
            .GroupBy(m => new { m.PlanId, m.TierId })
            .Select(g => new { g.Key.PlanId, g.Key.TierId, Members = g.Count() })
            .ToListAsync(ct);
        var planIds = tierCounts.Select(t => t.PlanId).Distinct().ToList();
        var plans = await db.MembershipPlans.AsNoTracking().Include(p => p.Tiers).Where(p => planIds.Contains(p.Id)).ToListAsync(ct);
        var byTier = (
                from count in tierCounts
                join plan in plans on count.PlanId equals plan.Id
                let tier = plan.Tiers.SingleOrDefault(t => t.Id == count.TierId)
                orderby plan.Name, tier?.Name
                select new TierMembers(plan.Name, tier?.Name ?? "—", tier?.Colour ?? "#9E9E9E", count.Members))
            .ToList();

        // Only the instants of the window are read (index MerchantId, JoinedAt); days are the merchant's local days.
        var joined = await db.Memberships.AsNoTracking().Where(m => m.JoinedAt >= from).Select(m => m.JoinedAt).ToListAsync(ct);
        var paid = await db.Orders.AsNoTracking()
            .Where(o => o.PaidAt != null && o.PaidAt >= from && o.Currency == currency
                        && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.Fulfilled))
            .Select(o => new { PaidAt = o.PaidAt!.Value, o.PriceMinorUnits })
            .ToListAsync(ct);
        var joinedByDay = joined.GroupBy(at => LocalDays.DateOf(at, zone)).ToDictionary(g => g.Key, g => g.Count());
        var revenueByDay = paid.GroupBy(o => LocalDays.DateOf(o.PaidAt, zone)).ToDictionary(g => g.Key, g => g.Sum(o => o.PriceMinorUnits));
        var days = Enumerable.Range(0, Days).Select(firstDay.AddDays)
            .Select(day => new DayFigures(day, joinedByDay.GetValueOrDefault(day), revenueByDay.GetValueOrDefault(day)))
            .ToList();

        var coupons = await db.Activities.AsNoTracking().SelectMany(a => a.CouponActivities)
            .GroupBy(_ => 1)
            .Select(g => new { Issued = g.Sum(c => (long)c.Issued), Redeemed = g.Sum(c => (long)c.Redeemed) })
            .SingleOrDefaultAsync(ct);

        return new MerchantOverview(
            ActiveMembers: tierCounts.Sum(t => t.Members),
            PaidOrders: await db.Orders.CountAsync(o => o.Status == OrderStatus.Paid || o.Status == OrderStatus.Fulfilled, ct),
            CouponsIssued: coupons?.Issued ?? 0,
            CouponsRedeemed: coupons?.Redeemed ?? 0,
            StuckRuns: await db.WorkflowRuns.CountAsync(r => r.Status == WorkflowRunStatus.Stuck, ct),
            byTier, days, currency);
    }
}
