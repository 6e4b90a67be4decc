using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Grants;

/// <summary>Who a coupon activity issues to: the plan (and tiers, none meaning all) of the benefit bound to it, and that benefit's version.</summary>
public sealed record CouponAudience(Guid PlanId, IReadOnlyList<Guid> TierIds, Guid BenefitVersionId);

/// <summary>
/// The members a monthly or birthday coupon activity issues to. Benefits know it (the benefit bound to the coupon
/// activity); this seam keeps the jobs independent of them.
/// </summary>
public interface ICouponActivityAudience
{
    Task<CouponAudience?> AudienceAsync(MerchantDbContext db, Guid couponActivityId, CancellationToken ct);
}

/// <summary>No benefit bound: nobody.</summary>
public sealed class NoCouponActivityAudience : ICouponActivityAudience
{
    public Task<CouponAudience?> AudienceAsync(MerchantDbContext db, Guid couponActivityId, CancellationToken ct) => Task.FromResult<CouponAudience?>(null);
}

/// <summary>
/// Recurring (daily): issues the coupons of Effective coupon activities ruled MonthlyOnDay(N) on their day of the
/// month, and OnBirthday to the members whose birthday is today, both in the merchant's zone. The issue keys
/// (<see cref="IssueKeys.Monthly"/>, <see cref="IssueKeys.Birthday"/>) make a second run in the same period issue
/// nothing. Batches go through the same bulk path as grants.
/// </summary>
public sealed class PeriodicIssuanceJob(ProviderContextOptions contexts, BulkCouponIssuer issuer, ICouponActivityAudience audiences, TimeProvider clock, IOptions<GrantOptions> options)
{
    public const string RecurringJobId = "coupon-periodic-issuance";
    public const string Actor = SystemActors.Prefix + "coupons";

    /// <summary>How many coupons were issued.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<(Guid MerchantId, Guid CouponActivityId, IssueTrigger Trigger, int? Day, string Zone)> due;
        await using (var db = contexts.CreateAcrossMerchants(Actor))
        {
            var rows = await db.Activities.AsNoTracking()
                .Where(a => a.Status == ActivityStatus.Effective)
                .SelectMany(a => a.CouponActivities.Where(c => c.Status == CouponActivityStatus.Effective
                        && (c.Trigger == IssueTrigger.MonthlyOnDay || c.Trigger == IssueTrigger.OnBirthday)),
                    (a, c) => new { a.MerchantId, c.Id, c.Trigger, c.DayOfMonth })
                .ToListAsync(cancellationToken);
            var zones = await db.Merchants.AsNoTracking().Select(m => new { m.Id, m.TimeZoneId }).ToDictionaryAsync(m => m.Id, m => m.TimeZoneId, cancellationToken);
            due = [.. rows.Select(r => (r.MerchantId, r.Id, r.Trigger, r.DayOfMonth, zones[r.MerchantId]))];
        }
        var total = 0;
        foreach (var (merchantId, couponActivityId, trigger, day, zoneId) in due)
        {
            var today = LocalDays.DateOf(now, LocalDays.Zone(zoneId));
            if (trigger == IssueTrigger.MonthlyOnDay && IssuingRule.MonthlyOn(day ?? 1).IssueDateIn(today.Year, today.Month) != today)
                continue;
            total += await IssueAsync(merchantId, couponActivityId, trigger, today, now, cancellationToken);
        }
        return total;
    }

    private async Task<int> IssueAsync(Guid merchantId, Guid couponActivityId, IssueTrigger trigger, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        CouponAudience? audience;
        await using (var db = contexts.CreateForMerchant(merchantId, Actor))
            audience = await audiences.AudienceAsync(db, couponActivityId, ct);
        if (audience is null)
            return 0;
        var key = trigger == IssueTrigger.MonthlyOnDay
            ? IssueKeys.Monthly(audience.BenefitVersionId, today.Year, today.Month)
            : IssueKeys.Birthday(audience.BenefitVersionId, today.Year);
        var tiers = audience.TierIds.ToList();
        var issued = 0;
        Guid? after = null;
        while (true)
        {
            var done = await CouponStore.RetryOnUniqueViolationAsync(async () =>
            {
                await using var db = contexts.CreateForMerchant(merchantId, Actor);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var query = db.Memberships.AsNoTracking().Where(m => m.PlanId == audience.PlanId && m.Status == MembershipStatus.Active);
                if (tiers.Count > 0)
                    query = query.Where(m => tiers.Contains(m.TierId));
                if (trigger == IssueTrigger.OnBirthday)
                {
                    var customers = db.Customers.Where(c => c.Birthday != null && c.Birthday.Value.Month == today.Month && c.Birthday.Value.Day == today.Day).Select(c => c.Id);
                    query = query.Where(m => customers.Contains(m.CustomerId));
                }
                if (after is { } cursor)
                    query = query.Where(m => m.Id.CompareTo(cursor) > 0);
                var batch = await query.OrderBy(m => m.Id).Take(Math.Max(1, options.Value.BatchSize)).Select(m => m.Id).ToListAsync(ct);
                if (batch.Count == 0)
                    return true;
                var result = await issuer.IssueInAsync(db, couponActivityId, [.. batch.Select(id => new BatchMember(id, key, audience.BenefitVersionId))], now, ct);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                issued += result.Issued;
                after = batch[^1];
                return false;
            });
            if (done)
                return issued;
        }
    }
}
