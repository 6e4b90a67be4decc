using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Features.Grants;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits;

/// <summary>
/// Monthly and birthday coupons go to the members the bound benefit covers: its plan and tiers, under the Active
/// version that owns the coupon activity. A coupon activity no Active benefit version owns issues to nobody.
/// </summary>
public sealed class BenefitCouponAudience : ICouponActivityAudience
{
    public async Task<CouponAudience?> AudienceAsync(MerchantDbContext db, Guid couponActivityId, CancellationToken ct)
    {
        var benefit = await db.Benefits.AsNoTracking().Include(b => b.Versions)
            .Where(b => b.Versions.Any(v => v.CouponActivityId == couponActivityId && v.Status == BenefitVersionStatus.Active))
            .FirstOrDefaultAsync(ct);
        var version = benefit?.Versions.First(v => v.CouponActivityId == couponActivityId && v.Status == BenefitVersionStatus.Active);
        return benefit is null || version is null ? null : new CouponAudience(benefit.PlanId, benefit.TierIds, version.Id);
    }
}
