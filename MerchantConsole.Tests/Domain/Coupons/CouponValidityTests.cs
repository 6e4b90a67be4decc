using MerchantConsole.Domain.Coupons;

namespace MerchantConsole.Tests.Domain.Coupons;

public class CouponValidityTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Fact]
    public void ACouponValidForOneDayIssuedLateInTheEveningEndsAtLocalMidnightNotTwentyFourHoursLater()
    {
        var issuedAt = Utc(2026, 3, 10, 15, 30); // 23:30 in Shanghai

        var (from, until) = CouponValidity.AfterIssue(1).For(issuedAt, Shanghai);

        Assert.Equal(issuedAt, from);
        Assert.Equal(Utc(2026, 3, 10, 16), until); // 2026-03-11 00:00 +08:00
    }

    [Fact]
    public void ADelayStartsTheCouponAtTheStartOfALaterLocalDayAndCountsDaysFromThere()
    {
        var issuedAt = Utc(2026, 3, 10, 2); // 10:00 in Shanghai on the 10th

        var (from, until) = CouponValidity.AfterIssue(3, delayDays: 2).For(issuedAt, Shanghai);

        Assert.Equal(Utc(2026, 3, 11, 16), from); // the 12th, 00:00 local
        Assert.Equal(Utc(2026, 3, 14, 16), until); // valid through the 14th
    }

    [Fact]
    public void AcrossTheSpringForwardInNewYorkTheCouponEndsAtLocalMidnightAnHourSooner()
    {
        var issuedAt = Utc(2026, 3, 7, 17); // noon EST on Saturday; clocks go forward on Sunday the 8th

        var (_, until) = CouponValidity.AfterIssue(2).For(issuedAt, NewYork);

        Assert.Equal(Utc(2026, 3, 9, 4), until); // Monday 00:00 EDT (-04:00)
        Assert.Equal(TimeSpan.FromHours(35), until - issuedAt);
    }

    [Fact]
    public void AFixedPeriodAcrossTheFallBackInNewYorkRunsFromLocalMidnightToLocalMidnight()
    {
        var validity = CouponValidity.Between(new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 1)).Validated();

        var (from, until) = validity.For(Utc(2026, 10, 1, 12), NewYork);

        Assert.Equal(Utc(2026, 10, 31, 4), from); // 00:00 EDT
        Assert.Equal(Utc(2026, 11, 2, 5), until); // 00:00 EST
        Assert.Equal(TimeSpan.FromHours(49), until - from);
    }

    [Fact]
    public void DaysCountAcrossAMonthEnd()
    {
        var issuedAt = Utc(2026, 1, 31, 2); // 10:00 on 31 January in Shanghai

        var (_, until) = CouponValidity.AfterIssue(30).For(issuedAt, Shanghai);

        // 31 January + 29 days is 1 March in 2026 (no leap day); valid through it.
        Assert.Equal(Utc(2026, 3, 1, 16), until);
    }

    [Fact]
    public void ALeapDayIsADayOfValidity()
    {
        var issuedAt = Utc(2028, 2, 28, 2); // 10:00 on 28 February 2028 in Shanghai

        var (_, until) = CouponValidity.AfterIssue(2).For(issuedAt, Shanghai);

        Assert.Equal(new DateOnly(2028, 2, 29), LocalDays.DateOf(until.AddTicks(-1), Shanghai));
        Assert.Equal(Utc(2028, 2, 29, 16), until);
    }

    [Fact]
    public void AFixedPeriodEndingOnALeapDayEndsAtTheEndOfIt()
    {
        var (_, until) = CouponValidity.Between(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29)).For(Utc(2028, 1, 1, 0), Shanghai);

        Assert.Equal(Utc(2028, 2, 29, 16), until);
    }

    [Fact]
    public void ADayWhoseMidnightDoesNotExistStartsAtTheFirstInstantThatDoes()
    {
        // Beirut moves its clocks from 00:00 to 01:00 on the last Sunday of March.
        var beirut = TimeZoneInfo.FindSystemTimeZoneById("Asia/Beirut");

        var start = LocalDays.StartOf(new DateOnly(2026, 3, 29), beirut);

        Assert.Equal(Utc(2026, 3, 28, 22), start); // 01:00 +03:00
        Assert.Equal(new DateOnly(2026, 3, 29), LocalDays.DateOf(start, beirut));
    }

    [Fact]
    public void ACouponIsExpiredFromTheFirstInstantAfterItsLastDayAndNotYetValidBeforeItsFirst()
    {
        var terms = CouponTestTerms.CashOff() with { Validity = CouponValidity.AfterIssue(1, delayDays: 1) };
        var coupon = CouponTestTerms.Issue(terms, Utc(2026, 3, 10, 2), Shanghai);

        var early = Assert.Throws<MerchantConsole.Domain.Common.DomainException>(() => coupon.EnsureRedeemable(coupon.ValidFrom.AddTicks(-1), Shanghai));
        coupon.EnsureRedeemable(coupon.ValidFrom, Shanghai);
        coupon.EnsureRedeemable(coupon.ValidUntil.AddTicks(-1), Shanghai);
        var late = Assert.Throws<MerchantConsole.Domain.Common.DomainException>(() => coupon.EnsureRedeemable(coupon.ValidUntil, Shanghai));

        Assert.Equal("Coupon.NotYetValid", early.Refusal.Code);
        Assert.Equal("Coupon.Expired", late.Refusal.Code);
    }

    [Theory]
    [InlineData(2026, 2, 31, 28)]
    [InlineData(2028, 2, 31, 29)]
    [InlineData(2026, 4, 31, 30)]
    [InlineData(2026, 4, 15, 15)]
    public void AMonthlyIssueOnALateDayFallsOnAShortMonthsLastDay(int year, int month, int day, int expected)
    {
        Assert.Equal(new DateOnly(year, month, expected), IssuingRule.MonthlyOn(day).Validated().IssueDateIn(year, month));
    }

    [Theory]
    [InlineData(ValidityKind.AfterIssue, null, null, 0, 0, "CouponTemplate.ValidityDaysInvalid")]
    [InlineData(ValidityKind.AfterIssue, null, null, 5, -1, "CouponTemplate.ValidityDelayInvalid")]
    [InlineData(ValidityKind.Fixed, null, "2026-01-01", null, 0, "CouponTemplate.ValidityDatesRequired")]
    [InlineData(ValidityKind.Fixed, "2026-02-01", "2026-01-01", null, 0, "CouponTemplate.ValidityDatesReversed")]
    public void AnInvalidValidityIsRefusedWithItsCode(ValidityKind kind, string? from, string? until, int? days, int delay, string code)
    {
        var validity = new CouponValidity(kind, from is null ? null : DateOnly.Parse(from), until is null ? null : DateOnly.Parse(until), days, delay);

        var refusal = Assert.Throws<MerchantConsole.Domain.Common.DomainException>(() => validity.Validated());

        Assert.Equal(code, refusal.Refusal.Code);
    }
}
