using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits;

/// <summary>A coupon benefit version in force: who it covers and the coupon activity it issues from.</summary>
/// <param name="TierIds">Empty: every tier of the plan.</param>
public sealed record CouponBenefitInForce(Guid BenefitId, string Name, Guid BenefitVersionId, int VersionNumber, Guid CouponActivityId,
    IssuingRule Rule, IReadOnlyList<Guid> TierIds)
{
    public bool Covers(Guid tierId) => TierIds.Count == 0 || TierIds.Contains(tierId);
}

/// <summary>
/// The Active coupon benefits of a plan, for whatever issues by their rules (on join here; monthly, birthday and
/// grants elsewhere). Pass the issue key from <see cref="IssueKeys"/> with <see cref="CouponBenefitInForce.BenefitVersionId"/>.
/// </summary>
public static class CouponBenefits
{
    /// <summary>The version of each Active coupon benefit of <paramref name="planId"/> in force on <paramref name="localDate"/> whose rule is <paramref name="trigger"/>.</summary>
    public static async Task<IReadOnlyList<CouponBenefitInForce>> InForceAsync(MerchantDbContext db, Guid planId, IssueTrigger trigger, DateOnly localDate,
        CancellationToken ct = default)
    {
        var benefits = await db.Benefits.AsNoTracking().Include(b => b.Versions)
            .Where(b => b.PlanId == planId && b.Versions.Any(v => v.Status == BenefitVersionStatus.Active && v.Kind == BenefitKind.Coupon))
            .ToListAsync(ct);
        return [.. benefits
            .Select(b => (Benefit: b, Version: b.InForceOn(localDate)))
            .Where(x => x.Version is { Kind: BenefitKind.Coupon, CouponActivityId: not null } v && v.Trigger == trigger)
            .Select(x => new CouponBenefitInForce(x.Benefit.Id, x.Benefit.Name, x.Version!.Id, x.Version.Number, x.Version.CouponActivityId!.Value,
                x.Version.Rule!, x.Benefit.TierIds))];
    }

    /// <summary>
    /// The coupons a member who joined gets: one per Active OnJoin coupon benefit in force on the join day (merchant's
    /// zone) covering the tier, keyed <see cref="IssueKeys.Join"/>(version). The <see cref="MemberJoined"/> handler and
    /// purchase fulfilment both issue exactly these, so whichever comes second finds them issued.
    /// </summary>
    public static async Task<IReadOnlyList<(CouponBenefitInForce Benefit, IssueRequest Request)>> OnJoinAsync(MerchantDbContext db, Guid merchantId,
        MemberJoined joined, CancellationToken ct = default)
    {
        var today = await TodayAsync(db, merchantId, joined.JoinedAt, ct);
        var benefits = await InForceAsync(db, joined.PlanId, IssueTrigger.OnJoin, today, ct);
        return [.. benefits.Where(b => b.Covers(joined.TierId)).Select(b =>
            (b, new IssueRequest(b.CouponActivityId, joined.MembershipId, IssueKeys.Join(b.BenefitVersionId), b.BenefitVersionId)))];
    }

    /// <summary>Today in the merchant's zone, the date <see cref="InForceAsync"/> takes.</summary>
    public static async Task<DateOnly> TodayAsync(MerchantDbContext db, Guid merchantId, DateTimeOffset now, CancellationToken ct = default) =>
        LocalDays.DateOf(now, LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, merchantId, ct)));
}
