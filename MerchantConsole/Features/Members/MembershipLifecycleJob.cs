using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Members;

public sealed class MembersOptions
{
    public const string Section = "Members";

    /// <summary>When the lifecycle job runs (Hangfire cron, UTC): daily by default.</summary>
    public string LifecycleCron { get; set; } = "15 3 * * *";

    /// <summary>Memberships per transaction.</summary>
    public int LifecycleBatchSize { get; set; } = 500;
}

public sealed record LifecycleOutcome(int Expired, int Recalculated, int TierChanges);

/// <summary>
/// Recurring <c>membership-lifecycle</c>: expires Active memberships past their end, then recalculates tiers (spend from
/// the member's fulfilled orders of the plan, temporary overrides past their date), merchant by merchant in batches of
/// one transaction each, each membership through its domain methods so the audit and the tier history are written as
/// for staff. Idempotent: a second run finds nothing to change. See ARCHITECTURE.md, Members.
/// </summary>
public sealed class MembershipLifecycleJob(ProviderContextOptions contexts, TimeProvider clock, IOptions<MembersOptions> options)
{
    public const string RecurringJobId = "membership-lifecycle";
    public const string Actor = SystemActors.Prefix + "membership-lifecycle";

    public async Task<LifecycleOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batchSize = Math.Max(1, options.Value.LifecycleBatchSize);
        List<Guid> merchants;
        await using (var across = contexts.CreateAcrossMerchants(Actor))
            merchants = await across.Merchants.AsNoTracking().Select(m => m.Id).ToListAsync(cancellationToken);
        int expired = 0, recalculated = 0, changes = 0;
        foreach (var merchantId in merchants)
        {
            expired += await ExpireAsync(merchantId, now, batchSize, cancellationToken);
            var (seen, changed) = await RecalculateAsync(merchantId, now, batchSize, cancellationToken);
            recalculated += seen;
            changes += changed;
        }
        return new LifecycleOutcome(expired, recalculated, changes);
    }

    private async Task<int> ExpireAsync(Guid merchantId, DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var db = contexts.CreateForMerchant(merchantId, Actor);
            var batch = await db.Memberships
                .Where(m => m.Status == MembershipStatus.Active && m.ExpiresAt <= now)
                .OrderBy(m => m.ExpiresAt).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;
            foreach (var membership in batch)
                membership.Expire(now);
            await db.SaveChangesAsync(cancellationToken);
            total += batch.Count;
        }
        return total;
    }

    /// <summary>
    /// Per plan: every Active membership when a tier is earned by spend, else only those with an override (a temporary
    /// one may have lapsed). Keyset over the membership id; one save per batch.
    /// </summary>
    private async Task<(int Seen, int Changed)> RecalculateAsync(Guid merchantId, DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        List<TierLadder> ladders;
        await using (var db = contexts.CreateForMerchant(merchantId, Actor))
            ladders = (await db.MembershipPlans.AsNoTracking().WithParts().ToListAsync(cancellationToken)).Select(TierLadder.Of).ToList();
        int seen = 0, changed = 0;
        foreach (var ladder in ladders)
        {
            var bySpend = ladder.EarnsBySpend;
            Guid? after = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                await using var db = contexts.CreateForMerchant(merchantId, Actor);
                var query = db.Memberships.Where(m => m.PlanId == ladder.PlanId && m.Status == MembershipStatus.Active);
                if (!bySpend)
                    query = query.Where(m => m.OverrideKind != null);
                if (after is { } cursor)
                    query = query.Where(m => m.Id.CompareTo(cursor) > 0);
                var batch = await query.OrderBy(m => m.Id).Take(batchSize).ToListAsync(cancellationToken);
                if (batch.Count == 0)
                    break;
                after = batch[^1].Id;
                var spend = bySpend ? await SpendAsync(db, ladder.PlanId, batch, cancellationToken) : [];
                foreach (var membership in batch)
                {
                    var change = membership.Recalculate(ladder, spend.GetValueOrDefault(membership.CustomerId, membership.SpendMinorUnits), Actor, now);
                    if (change is null)
                        continue;
                    db.TierChanges.Add(change);
                    changed++;
                }
                await db.SaveChangesAsync(cancellationToken);
                seen += batch.Count;
            }
        }
        return (seen, changed);
    }

    /// <summary>What each customer of the batch paid for fulfilled orders of the plan (refunded orders no longer count).</summary>
    private static async Task<Dictionary<Guid, long>> SpendAsync(MerchantDbContext db, Guid planId, List<Membership> batch, CancellationToken cancellationToken)
    {
        var customers = batch.Select(m => m.CustomerId).ToList();
        var rows = await db.Orders.AsNoTracking()
            .Where(o => o.PlanId == planId && o.Status == OrderStatus.Fulfilled && customers.Contains(o.CustomerId))
            .GroupBy(o => o.CustomerId)
            .Select(g => new { CustomerId = g.Key, Spend = g.Sum(o => o.PriceMinorUnits) })
            .ToListAsync(cancellationToken);
        return customers.ToDictionary(c => c, c => rows.FirstOrDefault(r => r.CustomerId == c)?.Spend ?? 0L);
    }
}
