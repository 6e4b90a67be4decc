using System.Globalization;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Orders;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Localization;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Features.Hosted;

/// <summary>Marker for the hosted pages' resx pair (HostedStrings.resx / .zh-CN.resx).</summary>
public sealed class HostedStrings;

/// <summary>How the hosted pages word money, times, statuses and benefits in the request's language.</summary>
public static class HostedText
{
    public static string Money(long minorUnits, string currency) =>
        MoneyFormat.Format(new Money(minorUnits, currency), CultureInfo.CurrentCulture);

    public static string Price(StorefrontProduct product) => Money(product.PriceMinorUnits, product.Currency);

    public static string Duration(IStringLocalizer<HostedStrings> h, StorefrontProduct product) =>
        // "1 year", not "1 years": each unit has a word for one of it.
        h[product.DurationAmount == 1 ? $"Duration.{product.DurationUnit}.One" : $"Duration.{product.DurationUnit}", product.DurationAmount];

    /// <summary>An instant in the merchant's zone, as the merchant's staff see it.</summary>
    public static string Time(HostedPage page, DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, page.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A known word for a status or ledger kind, else the value itself (a kind added later still shows).</summary>
    public static string Word(IStringLocalizer<HostedStrings> h, string prefix, string value)
    {
        var text = h[$"{prefix}.{value}"];
        return text.ResourceNotFound ? value : text.Value;
    }

    public static string Benefit(IStringLocalizer<HostedStrings> h, StorefrontBenefit benefit) => benefit.Kind switch
    {
        "Discount" when benefit.DiscountPercent is { } percent => h["Benefit.Discount", percent],
        "PointsMultiplier" when benefit.PointsFactor is { } factor => h["Benefit.Points", factor.ToString("0.##", CultureInfo.InvariantCulture)],
        "FreeShipping" => h["Benefit.FreeShipping"],
        "Custom" when !string.IsNullOrWhiteSpace(benefit.Text) => benefit.Text!,
        _ => "",
    };

    /// <summary>The values a membership's card is drawn with.</summary>
    public static SampleCard CardOf(HostedPage page, StorefrontMembership membership, string memberName, string currency) =>
        new(CardNumbers.Display(membership.CardNumber), memberName, membership.TierName, 0, new Money(0, currency),
            membership.ExpiresAt is { } expires ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(expires, page.Zone).DateTime) : null);
}
