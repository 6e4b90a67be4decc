using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;

namespace MerchantConsole.Tests.Domain.Coupons;

public class CouponTermsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>A local time in Shanghai as an instant.</summary>
    private static DateTimeOffset Local(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.FromHours(8));

    public static TheoryData<string, CouponTerms> InvalidTerms() => new()
    {
        { "CouponTemplate.FaceValueRequired", CouponTestTerms.CashOff() with { FaceValueMinorUnits = 0 } },
        { "CouponTemplate.PercentInvalid", new CouponTerms { Kind = CouponKind.PercentOff, Percent = 100 } },
        { "CouponTemplate.PercentInvalid", new CouponTerms { Kind = CouponKind.PercentOff, Percent = 0 } },
        { "CouponTemplate.CapInvalid", new CouponTerms { Kind = CouponKind.PercentOff, Percent = 20, PercentCapMinorUnits = 0 } },
        { "CouponTemplate.GiftItemRequired", new CouponTerms { Kind = CouponKind.GiftItem, GiftItem = "  " } },
        { "CouponTemplate.FaceValueNegative", new CouponTerms { Kind = CouponKind.FreeShipping, FaceValueMinorUnits = -1 } },
        { "CouponTemplate.MinimumSpendNegative", CouponTestTerms.CashOff() with { MinimumSpendMinorUnits = -1 } },
        { "CouponTemplate.WeekdaysRequired", CouponTestTerms.CashOff() with { Weekdays = UsableWeekdays.None } },
        { "CouponTemplate.HoursInvalid", CouponTestTerms.CashOff() with { Hours = new UsableHours(22 * 60, 10 * 60) } },
        { "CouponTemplate.HoursInvalid", CouponTestTerms.CashOff() with { Hours = new UsableHours(0, 1441) } },
        { "CouponTemplate.StoreCodeInvalid", CouponTestTerms.CashOff() with { StoreCodes = ["S1,S2"] } },
        { "CouponTemplate.TooManyStores", CouponTestTerms.CashOff() with { StoreCodes = [.. Enumerable.Range(0, 201).Select(i => $"S{i}")] } },
        { "CouponTemplate.StockInvalid", CouponTestTerms.CashOff() with { TotalStock = 0 } },
        { "CouponTemplate.PerMemberLimitInvalid", CouponTestTerms.CashOff() with { PerMemberLimit = 0 } },
        { "CouponTemplate.PerMemberLimitAboveStock", CouponTestTerms.CashOff() with { TotalStock = 5, PerMemberLimit = 6 } },
        { "Money.CurrencyInvalid", CouponTestTerms.CashOff() with { Currency = "yuan" } },
    };

    [Theory]
    [MemberData(nameof(InvalidTerms))]
    public void EveryInvalidSettingIsRefusedWithItsOwnCode(string code, CouponTerms terms)
    {
        var refusal = Assert.Throws<DomainException>(() => terms.Validated());

        Assert.Equal(code, refusal.Refusal.Code);
    }

    [Fact]
    public void StoreCodesAndTheCodePatternAreKeptInUpperCaseSortedAndOnce()
    {
        var terms = (CouponTestTerms.CashOff() with { StoreCodes = ["sh-02", "SH-01", " sh-02 "], CodePattern = new CouponCodePattern("vip", 10, "abcdefghjk") }).Validated();

        Assert.Equal(["SH-01", "SH-02"], terms.StoreCodes);
        Assert.Equal("VIP", terms.CodePattern.Prefix);
        Assert.Equal("ABCDEFGHJK", terms.CodePattern.Alphabet);
    }

    [Fact]
    public void ACouponForWeekdaysIsRefusedOnASaturdayInTheMerchantsZone()
    {
        var terms = (CouponTestTerms.CashOff() with { Weekdays = UsableWeekdays.Weekdays }).Validated();

        // Friday 20:00 UTC is already Saturday 04:00 in Shanghai.
        var refusal = Assert.Throws<DomainException>(() => terms.EnsureUsable(new DateTimeOffset(2026, 3, 13, 20, 0, 0, TimeSpan.Zero), Shanghai, null, 20000));
        terms.EnsureUsable(Local(2026, 3, 13, 12), Shanghai, null, 20000);

        Assert.Equal("Coupon.NotUsableToday", refusal.Refusal.Code);
    }

    [Fact]
    public void UsableHoursIncludeTheirStartAndExcludeTheirEnd()
    {
        var terms = (CouponTestTerms.CashOff() with { Hours = UsableHours.Between(new TimeOnly(10, 0), new TimeOnly(22, 0)) }).Validated();

        terms.EnsureUsable(Local(2026, 3, 10, 10, 0), Shanghai, null, 20000);
        terms.EnsureUsable(Local(2026, 3, 10, 21, 59), Shanghai, null, 20000);
        var early = Assert.Throws<DomainException>(() => terms.EnsureUsable(Local(2026, 3, 10, 9, 59), Shanghai, null, 20000));
        var late = Assert.Throws<DomainException>(() => terms.EnsureUsable(Local(2026, 3, 10, 22, 0), Shanghai, null, 20000));

        Assert.Equal("Coupon.OutsideUsableHours", early.Refusal.Code);
        Assert.Equal("Coupon.OutsideUsableHours", late.Refusal.Code);
        Assert.Equal("10:00", early.Refusal.Arguments["From"]);
    }

    [Fact]
    public void ACouponForSomeStoresIsRefusedElsewhereAndAcceptedInAnyCase()
    {
        var terms = (CouponTestTerms.CashOff() with { StoreCodes = ["SH-01"] }).Validated();

        terms.EnsureUsable(Local(2026, 3, 10, 12), Shanghai, "sh-01", 20000);
        var refusal = Assert.Throws<DomainException>(() => terms.EnsureUsable(Local(2026, 3, 10, 12), Shanghai, "BJ-01", 20000));

        Assert.Equal("Coupon.StoreNotAllowed", refusal.Refusal.Code);
    }

    [Fact]
    public void AnOrderBelowTheMinimumSpendIsRefusedWithBothAmountsAsMoney()
    {
        var terms = CouponTestTerms.CashOff().Validated();

        terms.EnsureUsable(Local(2026, 3, 10, 12), Shanghai, null, 10000);
        var refusal = Assert.Throws<DomainException>(() => terms.EnsureUsable(Local(2026, 3, 10, 12), Shanghai, null, 9999));

        Assert.Equal("Coupon.BelowMinimumSpend", refusal.Refusal.Code);
        Assert.Equal(new Money(10000, "CNY"), refusal.Refusal.Arguments["Minimum"]);
        Assert.Equal(new Money(9999, "CNY"), refusal.Refusal.Arguments["Amount"]);
    }

    [Fact]
    public void ADiscountNeverExceedsTheOrderOrThePercentCap()
    {
        var cash = CouponTestTerms.CashOff().Validated();
        var percent = new CouponTerms { Kind = CouponKind.PercentOff, Percent = 20, PercentCapMinorUnits = 3000 }.Validated();

        Assert.Equal(2000, cash.DiscountOn(15000));
        Assert.Equal(1500, cash.DiscountOn(1500));
        Assert.Equal(2000, percent.DiscountOn(10000));
        Assert.Equal(3000, percent.DiscountOn(50000));
    }

    [Fact]
    public void EditingAPublishedTemplateMakesANewDraftVersionAndLeavesThePublishedOneAsItWas()
    {
        var template = CouponTestTerms.Template(CouponTestTerms.CashOff());
        var v1 = template.Publish("admin", CouponTestTerms.Now);

        var v2 = template.SaveDraft(CouponTestTerms.CashOff() with { FaceValueMinorUnits = 3000 }, "admin", CouponTestTerms.Now);

        Assert.NotEqual(v1.Id, v2.Id);
        Assert.Equal(2, v2.Number);
        Assert.Equal(2000, v1.FaceValueMinorUnits);
        Assert.Equal(3000, v2.FaceValueMinorUnits);
        Assert.Equal(CouponTemplateVersionStatus.Published, v1.Status);
    }

    [Fact]
    public void SavingThePublishedTermsUnchangedMakesNoNewVersion()
    {
        var template = CouponTestTerms.Template(CouponTestTerms.CashOff());
        template.Publish("admin", CouponTestTerms.Now);

        var refusal = Assert.Throws<DomainException>(() => template.SaveDraft(CouponTestTerms.CashOff(), "admin", CouponTestTerms.Now));

        Assert.Equal("CouponTemplate.NothingChanged", refusal.Refusal.Code);
        Assert.Single(template.Versions);
    }

    [Fact]
    public void AnActivityIssuesOnlyFromAPublishedVersion()
    {
        var template = CouponTestTerms.Template(CouponTestTerms.CashOff());
        var activity = Activity.Create(CouponTestTerms.MerchantId, "Spring", CouponTestTerms.Now, null, "admin", CouponTestTerms.Now);

        var refusal = Assert.Throws<DomainException>(() => activity.AddCouponActivity(template.CurrentDraft!, IssuingRule.OnJoin, 10, "admin", CouponTestTerms.Now));

        Assert.Equal("CouponActivity.VersionNotPublished", refusal.Refusal.Code);
    }

    [Fact]
    public void MakingAnActivityEffectiveMakesItsPendingCouponActivitiesEffectiveAndEndingItEndsThem()
    {
        var version = CouponTestTerms.Template(CouponTestTerms.CashOff()).Publish("admin", CouponTestTerms.Now);
        var activity = Activity.Create(CouponTestTerms.MerchantId, "Spring", CouponTestTerms.Now, null, "admin", CouponTestTerms.Now);
        var couponActivity = activity.AddCouponActivity(version, IssuingRule.MonthlyOn(31), 10, "admin", CouponTestTerms.Now);
        Assert.Equal(CouponActivityStatus.Pending, couponActivity.Status);

        activity.MakeEffective("admin", CouponTestTerms.Now);
        Assert.Equal(CouponActivityStatus.Effective, couponActivity.Status);
        Assert.True(activity.IsRunningAt(CouponTestTerms.Now));

        activity.End("admin", CouponTestTerms.Now);
        Assert.Equal(CouponActivityStatus.Ended, couponActivity.Status);
        Assert.Equal("Activity.Closed", Assert.Throws<DomainException>(() => activity.Cancel("admin", CouponTestTerms.Now)).Refusal.Code);
    }

    [Fact]
    public void ABenefitsCouponActivityCanStayPendingWhenItsActivityBecomesEffective()
    {
        var version = CouponTestTerms.Template(CouponTestTerms.CashOff()).Publish("admin", CouponTestTerms.Now);
        var activity = Activity.Create(CouponTestTerms.MerchantId, "Members' monthly", CouponTestTerms.Now, null, "admin", CouponTestTerms.Now);
        var couponActivity = activity.AddCouponActivity(version, IssuingRule.OnJoin, 10, "admin", CouponTestTerms.Now);

        activity.MakeEffective("admin", CouponTestTerms.Now, withCouponActivities: false);
        Assert.Equal(CouponActivityStatus.Pending, couponActivity.Status);
        activity.MakeCouponActivityEffective(couponActivity.Id, "admin", CouponTestTerms.Now);

        Assert.Equal(CouponActivityStatus.Effective, couponActivity.Status);
    }

    [Fact]
    public void ARedemptionCanBeReversedOnlyWithinTheWindowAndWithAReason()
    {
        var coupon = CouponTestTerms.Issue(CouponTestTerms.CashOff(), CouponTestTerms.Now, Shanghai);
        coupon.Redeem(CouponTestTerms.CashOff().Validated(), 12000, "SH-01", CouponTestTerms.Now.AddHours(1), Shanghai, "clerk");

        var noReason = Assert.Throws<DomainException>(() => coupon.ReverseRedemption(" ", TimeSpan.FromHours(24), CouponTestTerms.Now.AddHours(2), Shanghai, "clerk"));
        var late = Assert.Throws<DomainException>(() => coupon.ReverseRedemption("wrong order", TimeSpan.FromHours(24), CouponTestTerms.Now.AddHours(26), Shanghai, "clerk"));
        coupon.ReverseRedemption("wrong order", TimeSpan.FromHours(24), CouponTestTerms.Now.AddHours(25), Shanghai, "clerk");

        Assert.Equal("Coupon.ReasonRequired", noReason.Refusal.Code);
        Assert.Equal("Coupon.ReversalWindowPassed", late.Refusal.Code);
        Assert.Equal(CouponStatus.Issued, coupon.Status);
        Assert.Null(coupon.RedeemedAt);
    }
}
