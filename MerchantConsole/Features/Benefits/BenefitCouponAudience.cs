using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Features.Grants;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits;

/// <summary>
/// Monthly and birthday coupons go to the members the bound benefit covers: its plan and tiers, under the Active
/// version that owns the coupon activity, while that version is the one in force today in the merchant's zone. A
/// coupon activity no Active benefit version owns issues to nobody; nor does one of a version still scheduled, or
/// one a later version has taken over from before the switch-over job has superseded it.
/// </summary>
public sealed class BenefitCouponAudience(TimeProvider clock) : ICouponActivityAudience
{
    public async Task<CouponAudience?> AudienceAsync(MerchantDbContext db, Guid couponActivityId, CancellationToken ct)
    {
        var benefit = await db.Benefits.AsNoTracking().Include(b => b.Versions)
            .Where(b => b.Versions.Any(v => v.CouponActivityId == couponActivityId && v.Status == BenefitVersionStatus.Active))
            .FirstOrDefaultAsync(ct);
        if (benefit is null)
            return null;
        var version = benefit.Versions.First(v => v.CouponActivityId == couponActivityId && v.Status == BenefitVersionStatus.Active);
        var today = await CouponBenefits.TodayAsync(db, benefit.MerchantId, clock.GetUtcNow(), ct);
        return benefit.InForceOn(today)?.Id == version.Id ? new CouponAudience(benefit.PlanId, benefit.TierIds, version.Id) : null;
    }
}
