using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MerchantConsole.Features.Coupons;

/// <summary>
/// Reads and counter updates the coupon services share. Coupon activities and template versions are parts of other
/// aggregates with no merchant filter of their own, so they are always reached through their merchant-owned root.
/// </summary>
internal static class CouponStore
{
    public static Refusal NotIssuing(string? activity) => Refusal.Of("Coupon.ActivityNotEffective", "Activity '{Activity}' is not issuing coupons now.", ("Activity", activity));
    public static Refusal BudgetExhausted(int budget) => Refusal.Of("Coupon.BudgetExhausted", "This coupon activity has issued its whole budget ({Budget}).", ("Budget", budget));
    public static Refusal OutOfStock(int? stock) => Refusal.Of("Coupon.OutOfStock", "All {Stock} coupons of this template are issued.", ("Stock", stock));
    public static Refusal MemberLimitReached(int limit) => Refusal.Of("Coupon.MemberLimitReached", "This member already has {Limit} coupons of this template.", ("Limit", limit));
    public static Refusal ChangedMeanwhile { get; } = Refusal.Of("Coupon.ChangedMeanwhile", "Someone changed this coupon meanwhile; look it up again.");

    public static Task<string> TimeZoneIdAsync(MerchantDbContext db, Guid merchantId, CancellationToken ct) =>
        db.Merchants.Where(m => m.Id == merchantId).Select(m => m.TimeZoneId).SingleAsync(ct);

    public static Task<CouponTemplateVersion?> VersionAsync(MerchantDbContext db, Guid versionId, CancellationToken ct) =>
        db.CouponTemplates.AsNoTracking().SelectMany(t => t.Versions).Where(v => v.Id == versionId).SingleOrDefaultAsync(ct);

    public static async Task<(Activity Activity, CouponActivity CouponActivity)?> CouponActivityAsync(MerchantDbContext db, Guid couponActivityId, CancellationToken ct)
    {
        var activity = await db.Activities.AsNoTracking().Include(a => a.CouponActivities)
            .Where(a => a.CouponActivities.Any(c => c.Id == couponActivityId)).SingleOrDefaultAsync(ct);
        return activity is null ? null : (activity, activity.CouponActivityById(couponActivityId));
    }

    /// <summary>Which of these (member, issue key) pairs already hold their coupon: one query on the coupon key index.</summary>
    public static async Task<HashSet<(Guid MembershipId, string IssueKey)>> HoldersAsync(MerchantDbContext db,
        IEnumerable<(Guid MembershipId, string IssueKey)> pairs, CancellationToken ct)
    {
        var wanted = pairs.ToList();
        var memberIds = wanted.Select(p => p.MembershipId).Distinct().ToList();
        var keys = wanted.Select(p => p.IssueKey).Distinct().ToList();
        return (await db.Coupons.AsNoTracking()
                .Where(c => memberIds.Contains(c.MembershipId) && keys.Contains(c.IssueKey))
                .Select(c => new { c.MembershipId, c.IssueKey })
                .ToListAsync(ct))
            .Select(c => (c.MembershipId, c.IssueKey)).ToHashSet();
    }

    /// <summary>Adds to a coupon activity's counters in one statement (never a count of coupons).</summary>
    public static Task AddToCountersAsync(MerchantDbContext db, Guid couponActivityId, int redeemed = 0, int expired = 0, int revoked = 0, CancellationToken ct = default) =>
        db.Set<CouponActivity>().Where(c => c.Id == couponActivityId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Redeemed, c => c.Redeemed + redeemed)
            .SetProperty(c => c.Expired, c => c.Expired + expired)
            .SetProperty(c => c.Revoked, c => c.Revoked + revoked), ct);

    /// <summary>
    /// Takes one of a member's coupons of a template under <paramref name="limit"/>: a conditional update of the member's
    /// counter, or a new counter row saved with the coupon (two first coupons at once collide on its key and retry).
    /// </summary>
    public static async Task<bool> TakeMemberSlotAsync(MerchantDbContext db, Guid merchantId, Guid membershipId, Guid templateId, int limit, CancellationToken ct)
    {
        // A row this context added and has not saved yet: the database does not know it, so count on it here.
        var local = db.MemberCouponCounts.Local.FirstOrDefault(c => c.MembershipId == membershipId && c.CouponTemplateId == templateId);
        if (local is not null && db.Entry(local).State != EntityState.Added)
            db.Entry(local).State = EntityState.Detached; // saved earlier on this context; the database has the true count
        else if (local is { } pending)
        {
            if (pending.Issued >= limit)
                return false;
            pending.CountOne();
            return true;
        }
        var taken = await db.MemberCouponCounts
            .Where(c => c.MembershipId == membershipId && c.CouponTemplateId == templateId && c.Issued < limit)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued + 1), ct);
        if (taken == 1)
            return true;
        if (await db.MemberCouponCounts.AnyAsync(c => c.MembershipId == membershipId && c.CouponTemplateId == templateId, ct))
            return false;
        db.MemberCouponCounts.Add(MemberCouponCount.First(merchantId, membershipId, templateId));
        return true;
    }

    /// <summary>Adds to the day's issued and redeemed figures of a coupon activity (the chart), starting the day's row if needed.</summary>
    public static async Task CountDayAsync(MerchantDbContext db, Guid merchantId, Guid couponActivityId, DateOnly day, int issued, int redeemed, CancellationToken ct)
    {
        var updated = await db.CouponDailyCounts.Where(c => c.CouponActivityId == couponActivityId && c.Day == day)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued + issued).SetProperty(c => c.Redeemed, c => c.Redeemed + redeemed), ct);
        if (updated == 0)
            db.CouponDailyCounts.Add(CouponDailyCount.Start(merchantId, couponActivityId, day, issued, redeemed));
    }

    /// <summary>A unique index refused the save: a concurrent writer took the same key, code or counter row first.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException sql => sql.Number is 2601 or 2627,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>Runs <paramref name="operation"/> again when a unique index refused it, a few times at most.</summary>
    public static async Task<T> RetryOnUniqueViolationAsync<T>(Func<Task<T>> operation, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (Exception e) when (attempt < attempts && (e is ConcurrentIssueException || e is DbUpdateException u && IsUniqueViolation(u)))
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt));
            }
        }
    }
}

/// <summary>Another writer issued a coupon to a member of this batch meanwhile; the batch is rolled back and run again.</summary>
public sealed class ConcurrentIssueException() : Exception("A member of the batch was issued a coupon by another writer meanwhile.");
