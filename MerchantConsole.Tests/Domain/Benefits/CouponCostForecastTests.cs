using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Tests.Domain.Coupons;

namespace MerchantConsole.Tests.Domain.Benefits;

public sealed class CouponCostForecastTests
{
    [Fact]
    public void ACashOffCouponIssuedMonthlyCostsFaceValueTimesTheRedemptionRatePerMember()
    {
        var version = CouponTestTerms.Template(CouponTestTerms.CashOff()).Publish("admin", CouponTestTerms.Now);

        var forecast = CouponCostForecasts.For(version, IssueTrigger.MonthlyOnDay, members: 300, redemptionRate: 0.25m);

        Assert.Equal((CouponValueBasis.FaceValue, 2000L, 500L, 150_000L),
            (forecast.Basis, forecast.CouponValue.MinorUnits, forecast.PerMemberPerMonth.MinorUnits, forecast.ForCurrentMembers.MinorUnits));
    }

    [Fact]
    public void APercentOffCouponWithoutACapIsValuedAtThePercentOfTheMinimumSpendAndSaysSo()
    {
        var terms = CouponTestTerms.CashOff() with { Kind = CouponKind.PercentOff, FaceValueMinorUnits = null, Percent = 20, MinimumSpendMinorUnits = 5000 };
        var version = CouponTestTerms.Template(terms).Publish("admin", CouponTestTerms.Now);

        var forecast = CouponCostForecasts.For(version, IssueTrigger.OnBirthday, members: 12, redemptionRate: 1m);

        Assert.Equal((CouponValueBasis.PercentOfMinimumSpend, 1000L), (forecast.Basis, forecast.CouponValue.MinorUnits));
        Assert.Equal(1000L, forecast.ForCurrentMembers.MinorUnits); // a twelfth of the members a month
    }

    [Theory]
    [InlineData(IssueTrigger.OnJoin, 120, 120)]
    [InlineData(IssueTrigger.MonthlyOnDay, 120, 120)]
    [InlineData(IssueTrigger.OnBirthday, 120, 10)]
    [InlineData(IssueTrigger.ManualGrant, 120, null)]
    public void TheExpectedIssueForTheBudgetCheckFollowsTheRule(IssueTrigger trigger, int members, int? expected) =>
        Assert.Equal(expected, BenefitDryRun.ExpectedIssue(trigger, members));
}
