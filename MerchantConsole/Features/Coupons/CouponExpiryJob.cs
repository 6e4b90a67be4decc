using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Coupons;

/// <summary>
/// Recurring: moves issued coupons past their validity to Expired, a batch at a time, each batch with set-based
/// updates and the activity counters adjusted in the same transaction. Runs across merchants.
/// </summary>
public sealed class CouponExpiryJob(ProviderContextOptions contexts, TimeProvider clock, IOptions<CouponOptions> options)
{
    public const string RecurringJobId = "coupon-expiry";
    public const string Actor = SystemActors.Prefix + "coupons";

    /// <summary>How many coupons expired.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batchSize = Math.Max(1, options.Value.ExpiryBatchSize);
        var total = 0;
        await using var db = contexts.CreateAcrossMerchants(Actor);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await db.Coupons.AsNoTracking()
                .Where(c => c.Status == CouponStatus.Issued && c.ValidUntil <= now)
                .OrderBy(c => c.ValidUntil)
                .Take(batchSize)
                .Select(c => new { c.Id, c.CouponActivityId })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var group in batch.GroupBy(c => c.CouponActivityId))
            {
                var ids = group.Select(c => c.Id).ToList();
                // Conditional on the status: a coupon redeemed since the batch was read stays redeemed and is not counted.
                var expired = await db.Coupons
                    .Where(c => ids.Contains(c.Id) && c.Status == CouponStatus.Issued)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CouponStatus.Expired).SetProperty(c => c.ExpiredAt, now), cancellationToken);
                if (expired > 0)
                    await CouponStore.AddToCountersAsync(db, group.Key, expired: expired, ct: cancellationToken);
                total += expired;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return total;
    }
}
