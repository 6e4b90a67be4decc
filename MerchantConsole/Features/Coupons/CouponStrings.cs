namespace MerchantConsole.Features.Coupons;

/// <summary>Marker for the coupon pages' resx pair (CouponStrings.resx / .zh-CN.resx).</summary>
public sealed class CouponStrings;
