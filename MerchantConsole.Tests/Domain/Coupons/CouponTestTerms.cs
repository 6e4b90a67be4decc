using MerchantConsole.Domain.Coupons;

namespace MerchantConsole.Tests.Domain.Coupons;

/// <summary>Terms and coupons for rule tests.</summary>
internal static class CouponTestTerms
{
    public static readonly Guid MerchantId = Guid.Parse("5d1f2c6a-0000-4000-8000-00000000c0de");
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);

    /// <summary>¥20 off orders of ¥100 or more, valid 30 days.</summary>
    public static CouponTerms CashOff() => new()
    {
        Kind = CouponKind.CashOff,
        Currency = "CNY",
        FaceValueMinorUnits = 2000,
        MinimumSpendMinorUnits = 10000,
        Validity = CouponValidity.AfterIssue(30),
    };

    public static CouponTemplate Template(CouponTerms terms) =>
        CouponTemplate.Create(MerchantId, "满100减20", terms, "admin", Now);

    /// <summary>A coupon issued under a published version of <paramref name="terms"/>.</summary>
    public static Coupon Issue(CouponTerms terms, DateTimeOffset at, TimeZoneInfo zone)
    {
        var template = Template(terms);
        var version = template.Publish("admin", Now);
        var activity = Activity.Create(MerchantId, "Spring", Now.AddDays(-1), null, "admin", Now);
        var couponActivity = activity.AddCouponActivity(version, IssuingRule.ManualGrant, 100, "admin", Now);
        return Coupon.Issue(MerchantId, couponActivity, version, Guid.NewGuid(), null, "grant:test", "ABCDEFGHJK", zone, at);
    }
}
