using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Coupons;

/// <summary>
/// The coupon counters a transaction changes — coupon activities' issued budget, template versions' issued stock, the
/// daily chart — kept here as it issues and written together by <see cref="WriteAsync"/> just before its commit. Every
/// node's fulfilment issues from the same activity, so on a database server those rows are the ones their transactions
/// share: written last, they stay locked for the commit only, not through the rest of the transaction's writes.
/// <see cref="ReserveAsync"/> takes what a plain read shows is left; the conditional updates at the end are still the
/// guard, and one that finds the room gone meanwhile fails the transaction as a lost race (the caller reads again).
/// </summary>
public sealed class CouponCountsAtCommit
{
    private readonly Dictionary<(Guid ActivityId, Guid VersionId), int> _taken = [];
    private readonly Dictionary<(Guid MerchantId, Guid ActivityId, DateOnly Day), int> _issuedOn = [];

    /// <summary>Up to <paramref name="wanted"/> from the budget and stock left, less what this transaction has taken already; no row is written.</summary>
    public async Task<CouponBatchIssuer.Reservation> ReserveAsync(MerchantDbContext db, Guid couponActivityId, Guid versionId, int wanted, CancellationToken ct)
    {
        var reservation = CouponBatchIssuer.Reservation.Of(wanted, await CouponBatchIssuer.RoomAsync(db, couponActivityId, versionId, ct),
            takenFromBudget: _taken.Where(t => t.Key.ActivityId == couponActivityId).Sum(t => t.Value),
            takenFromStock: _taken.Where(t => t.Key.VersionId == versionId).Sum(t => t.Value));
        Take(couponActivityId, versionId, reservation.Count);
        return reservation;
    }

    public void GiveBack(Guid couponActivityId, Guid versionId, int count) => Take(couponActivityId, versionId, -count);

    public void CountDay(Guid merchantId, Guid couponActivityId, DateOnly day, int issued) =>
        _issuedOn[(merchantId, couponActivityId, day)] = _issuedOn.GetValueOrDefault((merchantId, couponActivityId, day)) + issued;

    /// <summary>
    /// Writes what was taken: the activities' then the versions' conditional updates, then the days, each in key order so
    /// that two transactions lock them in the same order. Throws <see cref="DbUpdateConcurrencyException"/> when a budget
    /// or stock no longer has the room (another transaction took it after the read); a new first row of a day is left
    /// tracked for the caller's save.
    /// </summary>
    public async Task WriteAsync(MerchantDbContext db, CancellationToken ct)
    {
        foreach (var (activityId, count) in TakenBy(t => t.ActivityId))
        {
            var took = await db.Set<CouponActivity>()
                .Where(c => c.Id == activityId && c.Issued + count <= c.Budget)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued + count), ct);
            if (took == 0)
                throw TakenMeanwhile();
        }
        foreach (var (versionId, count) in TakenBy(t => t.VersionId))
        {
            var took = await db.Set<CouponTemplateVersion>()
                .Where(v => v.Id == versionId && (v.TotalStock == null || v.Issued + count <= v.TotalStock))
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Issued, v => v.Issued + count), ct);
            if (took == 0)
                throw TakenMeanwhile();
        }
        foreach (var ((merchantId, activityId, day), issued) in _issuedOn.Where(d => d.Value != 0).OrderBy(d => d.Key.ActivityId).ThenBy(d => d.Key.Day))
            await CouponStore.CountDayAsync(db, merchantId, activityId, day, issued, 0, ct);
        _taken.Clear();
        _issuedOn.Clear();
    }

    /// <summary>What was taken per activity or per version, in key order, leaving out what was given back whole.</summary>
    private IEnumerable<(Guid Id, int Count)> TakenBy(Func<(Guid ActivityId, Guid VersionId), Guid> key) =>
        _taken.GroupBy(t => key(t.Key), t => t.Value).Select(g => (Id: g.Key, Count: g.Sum())).Where(t => t.Count != 0).OrderBy(t => t.Id);

    private void Take(Guid couponActivityId, Guid versionId, int count) =>
        _taken[(couponActivityId, versionId)] = _taken.GetValueOrDefault((couponActivityId, versionId)) + count;

    private static DbUpdateConcurrencyException TakenMeanwhile() =>
        new("Another transaction took the coupon activity's budget or the template's stock after this one read it.");
}
