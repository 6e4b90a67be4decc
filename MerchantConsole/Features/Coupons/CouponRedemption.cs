using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Coupons;

/// <summary>A coupon with what the redemption page shows beside it: its template's terms, names and the merchant's zone.</summary>
public sealed record CouponDetails(
    Coupon Coupon,
    CouponTerms Terms,
    Guid CouponTemplateId,
    string TemplateName,
    int TemplateVersion,
    Guid ActivityId,
    string ActivityName,
    string TimeZoneId)
{
    /// <summary>The last local day the coupon is valid on (its <see cref="Coupon.ValidUntil"/> is the instant after it).</summary>
    public DateOnly LastValidDay => LocalDays.DateOf(Coupon.ValidUntil.AddTicks(-1), LocalDays.Zone(TimeZoneId));
}

/// <param name="Refusal">Why the coupon cannot be used (or the change was refused); null when it can (or it was made).</param>
public sealed record CouponResult(CouponDetails? Coupon, Refusal? Refusal = null, long DiscountMinorUnits = 0)
{
    public bool Succeeded => Refusal is null;
}

public sealed class CouponOptions
{
    public const string Section = "Coupons";
    /// <summary>How long after a redemption staff may reverse it.</summary>
    public TimeSpan ReversalWindow { get; set; } = TimeSpan.FromHours(24);
    public string ExpiryCron { get; set; } = "*/10 * * * *";
    public int ExpiryBatchSize { get; set; } = 1000;
}

/// <summary>
/// Redemption (核销) by code in a store, its reversal within <see cref="CouponOptions.ReversalWindow"/>, and revocation.
/// Each is an update conditional on the coupon's status (the same code twice, or at once, succeeds once), with the
/// activity's counters in the same transaction; the save interceptor writes the audit entry (who, when, the store,
/// the order amount, the reason).
/// </summary>
public sealed class CouponRedemption(IDbContextFactory<MerchantDbContext> contexts, IOptions<CouponOptions> options)
{
    private static readonly Refusal NotFound = Refusal.Of("Coupon.NotFound", "No coupon has this code.");

    /// <summary>The coupon a typed or scanned code names, with why it could not be used at <paramref name="at"/> (state and dates only).</summary>
    public async Task<CouponResult> LookupAsync(string code, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var normalised = CouponCodePattern.Normalise(code);
        var coupon = await db.Coupons.AsNoTracking().SingleOrDefaultAsync(c => c.Code == normalised, cancellationToken);
        if (coupon is null)
            return new CouponResult(null, NotFound);
        var details = await DetailsAsync(db, coupon, cancellationToken);
        try
        {
            coupon.EnsureRedeemable(at, LocalDays.Zone(details.TimeZoneId));
            return new CouponResult(details);
        }
        catch (DomainException refusal)
        {
            return new CouponResult(details, refusal.Refusal);
        }
    }

    public async Task<CouponResult> FindAsync(Guid couponId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var coupon = await db.Coupons.AsNoTracking().SingleOrDefaultAsync(c => c.Id == couponId, cancellationToken);
        return coupon is null ? new CouponResult(null, NotFound) : new CouponResult(await DetailsAsync(db, coupon, cancellationToken));
    }

    /// <summary>
    /// Uses the coupon <paramref name="code"/> names on an order of <paramref name="orderAmountMinor"/> (the template's
    /// currency) in <paramref name="storeCode"/>. Another merchant's code is not found, like an unknown one.
    /// </summary>
    public Task<CouponResult> RedeemAsync(string code, long orderAmountMinor, string storeCode, DateTimeOffset at, string staff, CancellationToken cancellationToken = default) =>
        CouponStore.RetryOnUniqueViolationAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var normalised = CouponCodePattern.Normalise(code);
            var coupon = await db.Coupons.SingleOrDefaultAsync(c => c.Code == normalised, cancellationToken);
            if (coupon is null)
                return new CouponResult(null, NotFound);
            var details = await DetailsAsync(db, coupon, cancellationToken);
            long discount;
            try
            {
                discount = coupon.Redeem(details.Terms, orderAmountMinor, storeCode, at, LocalDays.Zone(details.TimeZoneId), staff);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DomainException refusal)
            {
                return new CouponResult(details, refusal.Refusal);
            }
            catch (DbUpdateConcurrencyException)
            {
                return await ChangedMeanwhileAsync(code, at, cancellationToken);
            }
            await CouponStore.AddToCountersAsync(db, coupon.CouponActivityId, redeemed: 1, ct: cancellationToken);
            await CountRedemptionDayAsync(db, coupon, details, at, +1, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new CouponResult(details, null, discount);
        });

    /// <summary>Puts a redeemed coupon back to Issued, within the reversal window of its redemption, with a reason.</summary>
    public Task<CouponResult> ReverseAsync(Guid couponId, string reason, DateTimeOffset at, string staff, CancellationToken cancellationToken = default) =>
        CouponStore.RetryOnUniqueViolationAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var coupon = await db.Coupons.SingleOrDefaultAsync(c => c.Id == couponId, cancellationToken);
            if (coupon is null)
                return new CouponResult(null, NotFound);
            var details = await DetailsAsync(db, coupon, cancellationToken);
            var redeemedAt = coupon.RedeemedAt;
            try
            {
                coupon.ReverseRedemption(reason, options.Value.ReversalWindow, at, LocalDays.Zone(details.TimeZoneId), staff);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DomainException refusal)
            {
                return new CouponResult(details, refusal.Refusal);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new CouponResult(details, CouponStore.ChangedMeanwhile);
            }
            await CouponStore.AddToCountersAsync(db, coupon.CouponActivityId, redeemed: -1, ct: cancellationToken);
            await CountRedemptionDayAsync(db, coupon, details, redeemedAt!.Value, -1, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new CouponResult(details);
        });

    /// <summary>Withdraws an unused coupon, with a reason; it counts as revoked on its activity.</summary>
    public async Task<CouponResult> RevokeAsync(Guid couponId, string reason, DateTimeOffset at, string staff, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var coupon = await db.Coupons.SingleOrDefaultAsync(c => c.Id == couponId, cancellationToken);
        if (coupon is null)
            return new CouponResult(null, NotFound);
        var details = await DetailsAsync(db, coupon, cancellationToken);
        try
        {
            coupon.Revoke(reason, at, staff);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refusal)
        {
            return new CouponResult(details, refusal.Refusal);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new CouponResult(details, CouponStore.ChangedMeanwhile);
        }
        await CouponStore.AddToCountersAsync(db, coupon.CouponActivityId, revoked: 1, ct: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CouponResult(details);
    }

    // The other redemption committed first: say what the coupon is now (redeemed, mostly).
    private async Task<CouponResult> ChangedMeanwhileAsync(string code, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var now = await LookupAsync(code, at, cancellationToken);
        return now.Refusal is null
            ? now with { Refusal = CouponStore.ChangedMeanwhile }
            : now;
    }

    private static Task CountRedemptionDayAsync(MerchantDbContext db, Coupon coupon, CouponDetails details, DateTimeOffset redeemedAt, int change, CancellationToken ct) =>
        CouponStore.CountDayAsync(db, coupon.MerchantId, coupon.CouponActivityId, LocalDays.DateOf(redeemedAt, LocalDays.Zone(details.TimeZoneId)), 0, change, ct);

    private static async Task<CouponDetails> DetailsAsync(MerchantDbContext db, Coupon coupon, CancellationToken ct)
    {
        var version = await CouponStore.VersionAsync(db, coupon.CouponTemplateVersionId, ct)
            ?? throw new InvalidOperationException($"Coupon {coupon.Id} names a version that does not exist.");
        var template = await db.CouponTemplates.AsNoTracking().Where(t => t.Id == version.CouponTemplateId).Select(t => t.Name).SingleAsync(ct);
        var activity = await db.Activities.AsNoTracking()
            .Where(a => a.CouponActivities.Any(c => c.Id == coupon.CouponActivityId))
            .Select(a => new { a.Id, a.Name }).SingleAsync(ct);
        var zone = await CouponStore.TimeZoneIdAsync(db, coupon.MerchantId, ct);
        return new CouponDetails(coupon, version.Terms, version.CouponTemplateId, template, version.Number, activity.Id, activity.Name, zone);
    }
}
