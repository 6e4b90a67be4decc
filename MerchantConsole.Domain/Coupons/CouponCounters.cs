using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>How many coupons of a template a member was issued: the per-member limit is a conditional update on it.</summary>
public sealed class MemberCouponCount : IMerchantOwned, INotAudited
{
    public Guid MerchantId { get; private set; }
    public Guid MembershipId { get; private set; }
    public Guid CouponTemplateId { get; private set; }
    public int Issued { get; private set; }

    private MemberCouponCount() { }

    public static MemberCouponCount First(Guid merchantId, Guid membershipId, Guid couponTemplateId) =>
        new() { MerchantId = merchantId, MembershipId = membershipId, CouponTemplateId = couponTemplateId, Issued = 1 };

    /// <summary>One more for a row not saved yet (a batch giving one member several coupons); saved rows change by conditional update.</summary>
    public void CountOne() => Issued++;
}

/// <summary>Coupons a coupon activity issued and redeemed on one local day of the merchant: the activity page's chart.</summary>
public sealed class CouponDailyCount : IMerchantOwned, INotAudited
{
    public Guid MerchantId { get; private set; }
    public Guid CouponActivityId { get; private set; }
    public DateOnly Day { get; private set; }
    public int Issued { get; private set; }
    public int Redeemed { get; private set; }

    private CouponDailyCount() { }

    public static CouponDailyCount Start(Guid merchantId, Guid couponActivityId, DateOnly day, int issued, int redeemed) =>
        new() { MerchantId = merchantId, CouponActivityId = couponActivityId, Day = day, Issued = issued, Redeemed = redeemed };
}
