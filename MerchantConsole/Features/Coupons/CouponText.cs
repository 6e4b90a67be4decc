using System.Globalization;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Localization;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Features.Coupons;

/// <summary>How the coupon pages word a coupon's terms: what it gives, on which days and hours, in which stores.</summary>
public static class CouponText
{
    public static string Money(long minorUnits, string currency) => MoneyFormat.Format(new Money(minorUnits, currency), CultureInfo.CurrentCulture);

    public static string Value(CouponTerms terms, IStringLocalizer<CouponStrings> text) => terms.Kind switch
    {
        CouponKind.CashOff => text["Value.CashOff", Money(terms.FaceValueMinorUnits ?? 0, terms.Currency)],
        CouponKind.PercentOff when terms.PercentCapMinorUnits is { } cap => text["Value.PercentOffCapped", terms.Percent ?? 0, Money(cap, terms.Currency)],
        CouponKind.PercentOff => text["Value.PercentOff", terms.Percent ?? 0],
        CouponKind.GiftItem => text["Value.GiftItem", terms.GiftItem ?? ""],
        _ => text["Value.FreeShipping"],
    };

    public static string Weekdays(UsableWeekdays days, IStringLocalizer<CouponStrings> text)
    {
        if (days == UsableWeekdays.All)
            return text["Terms.EveryDay"];
        var names = Enum.GetValues<DayOfWeek>().Skip(1).Append(DayOfWeek.Sunday)
            .Where(d => (days & WeekdayFlags.Of(d)) != 0).Select(d => Vocabulary.Of(d));
        return string.Join(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? "、" : ", ", names);
    }

    public static string Hours(UsableHours? hours, IStringLocalizer<CouponStrings> text) =>
        hours is null ? text["Terms.AnyTime"] : $"{hours.FromText}–{hours.UntilText}";

    public static string Stores(CouponTerms terms, IStringLocalizer<CouponStrings> text) =>
        terms.AllStores ? text["Terms.AllStores"] : string.Join(", ", terms.StoreCodes);
}
