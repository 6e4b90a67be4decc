using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Coupons;

/// <param name="IssueKey">One coupon per member and key; build it with <see cref="IssueKeys"/>.</param>
public sealed record IssueRequest(Guid CouponActivityId, Guid MembershipId, string IssueKey, Guid? BenefitVersionId = null);

public enum IssueOutcome
{
    Issued,
    /// <summary>The member already holds the coupon of this key; <see cref="IssueResult.Coupon"/> is that coupon.</summary>
    AlreadyIssued,
    Refused,
}

public sealed record IssueResult(IssueOutcome Outcome, Coupon? Coupon = null, Refusal? Refusal = null)
{
    public bool HasCoupon => Coupon is not null;
}

/// <summary>Random numbers for codes; tests replace it to force collisions.</summary>
public interface ICouponCodeRandom
{
    int Next(int exclusiveMax);
}

public sealed class SecureCouponCodeRandom : ICouponCodeRandom
{
    public int Next(int exclusiveMax) => System.Security.Cryptography.RandomNumberGenerator.GetInt32(exclusiveMax);
}

/// <summary>
/// The one way coupons are issued (on join and purchase from fulfilment, by the monthly and birthday jobs, by grants).
/// Idempotent per member and issue key. Budget, stock and the per-member limit are each taken by a conditional update
/// in the same transaction as the insert, so concurrent issues never oversell (ARCHITECTURE.md, "Coupons").
/// </summary>
public sealed class CouponIssuer(IDbContextFactory<MerchantDbContext> contexts, ICouponCodeRandom random)
{
    public const int CodeAttempts = 8;

    /// <summary>Issues on a context of its own, retrying when a concurrent issue took the key, a code or a counter row first.</summary>
    public Task<IssueResult> IssueAsync(IssueRequest request, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CouponStore.RetryOnUniqueViolationAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await IssueInAsync(db, request, now, cancellationToken);
        });

    /// <summary>
    /// Issues on the caller's context, inside the caller's transaction when one is open (fulfilment), else in one of its
    /// own. A <see cref="DbUpdateException"/> from a unique index means a concurrent issue won: retry on a new context.
    /// </summary>
    public async Task<IssueResult> IssueInAsync(MerchantDbContext db, IssueRequest request, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Issuing a coupon needs a merchant in scope.");
        string issueKey;
        try
        {
            issueKey = IssueKeys.Validated(request.IssueKey);
        }
        catch (DomainException refusal)
        {
            return Refused(refusal.Refusal);
        }
        // A coupon already held (a MemberJoined delivered after purchase fulfilment issued it) is final: answered without
        // opening a write transaction, which on SQLite would queue for the one writer.
        if (db.Database.CurrentTransaction is null
            && await db.Coupons.AsNoTracking().SingleOrDefaultAsync(c => c.MembershipId == request.MembershipId && c.IssueKey == issueKey, cancellationToken) is { } held)
            return new IssueResult(IssueOutcome.AlreadyIssued, held);
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        // Inside the caller's transaction a refusal must give back what it took without undoing the caller's work.
        if (own is null)
            await db.Database.CurrentTransaction!.CreateSavepointAsync(Savepoint, cancellationToken);
        try
        {
            var result = await IssueUnderTransactionAsync(db, merchantId, request, issueKey, now, cancellationToken);
            if (result.Outcome == IssueOutcome.Issued && own is not null)
                await own.CommitAsync(cancellationToken);
            if (result.Outcome == IssueOutcome.Refused && own is null)
            {
                await db.Database.CurrentTransaction!.RollbackToSavepointAsync(Savepoint, cancellationToken);
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && e.Entity is MemberCouponCount or CouponDailyCount).ToList())
                    entry.State = EntityState.Detached;
            }
            return result;
        }
        finally
        {
            // Without a commit, every counter taken is given back.
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    private const string Savepoint = "coupon_issue";

    private async Task<IssueResult> IssueUnderTransactionAsync(MerchantDbContext db, Guid merchantId, IssueRequest request, string issueKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await db.Coupons.AsNoTracking()
                .SingleOrDefaultAsync(c => c.MembershipId == request.MembershipId && c.IssueKey == issueKey, cancellationToken);
            if (existing is not null)
                return new IssueResult(IssueOutcome.AlreadyIssued, existing);

            var found = await CouponStore.CouponActivityAsync(db, request.CouponActivityId, cancellationToken);
            if (found is not var (activity, couponActivity))
                return Refused(Refusal.Of("Coupon.ActivityNotFound", "There is no such coupon activity."));
            if (!activity.IsRunningAt(now) || couponActivity.Status != CouponActivityStatus.Effective)
                return Refused(CouponStore.NotIssuing(activity.Name));
            var version = await CouponStore.VersionAsync(db, couponActivity.CouponTemplateVersionId, cancellationToken)
                ?? throw new InvalidOperationException($"Coupon activity {couponActivity.Id} names a version that does not exist.");
            var zone = LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, merchantId, cancellationToken));
            var terms = version.Terms;
            if (terms.Validity.For(now, zone).Until <= now)
                return Refused(Refusal.Of("Coupon.ValidityOver", "Coupons of this template are no longer valid; there is nothing to issue."));

            var budget = await db.Set<CouponActivity>()
                .Where(c => c.Id == couponActivity.Id && c.Status == CouponActivityStatus.Effective && c.Issued < c.Budget)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued + 1), cancellationToken);
            if (budget == 0)
                return Refused(CouponStore.BudgetExhausted(couponActivity.Budget));
            var stock = await db.Set<CouponTemplateVersion>()
                .Where(v => v.Id == version.Id && (v.TotalStock == null || v.Issued < v.TotalStock))
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Issued, v => v.Issued + 1), cancellationToken);
            if (stock == 0)
                return Refused(CouponStore.OutOfStock(version.TotalStock));
            if (terms.PerMemberLimit is { } limit
                && !await CouponStore.TakeMemberSlotAsync(db, merchantId, request.MembershipId, version.CouponTemplateId, limit, cancellationToken))
                return Refused(CouponStore.MemberLimitReached(limit));

            var code = await NewCodeAsync(db, terms.CodePattern, cancellationToken);
            if (code is null)
                return Refused(Refusal.Of("Coupon.CodesExhausted", "No free code was found for this template; lengthen its code pattern."));
            var coupon = Coupon.Issue(merchantId, couponActivity, version, request.MembershipId, request.BenefitVersionId, issueKey, code, zone, now);
            db.Coupons.Add(coupon);
            await CouponStore.CountDayAsync(db, merchantId, couponActivity.Id, LocalDays.DateOf(now, zone), issued: 1, redeemed: 0, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(coupon).State = EntityState.Detached;
            return new IssueResult(IssueOutcome.Issued, coupon);
        }
        catch (DomainException refusal)
        {
            return Refused(refusal.Refusal);
        }
    }

    /// <summary>A code no coupon of the merchant has; a collision draws again, up to <see cref="CodeAttempts"/> times.</summary>
    private async Task<string?> NewCodeAsync(MerchantDbContext db, CouponCodePattern pattern, CancellationToken ct)
    {
        for (var attempt = 0; attempt < CodeAttempts; attempt++)
        {
            var code = pattern.Generate(random.Next);
            if (!await db.Coupons.AnyAsync(c => c.Code == code, ct))
                return code;
        }
        return null;
    }

    private static IssueResult Refused(Refusal refusal) => new(IssueOutcome.Refused, Refusal: refusal);
}
