using System.Collections.Concurrent;
using System.Globalization;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Localization;

/// <summary>Shows an amount in its own currency (symbol and decimals of that currency) with the UI culture's digits and separators.</summary>
public static class MoneyFormat
{
    private static readonly ConcurrentDictionary<string, string> Symbols = new();

    public static string Format(Money money, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = Symbol(money.Currency, culture);
        format.CurrencyDecimalDigits = Money.MinorDigits(money.Currency);
        return money.Major.ToString("C", format);
    }

    /// <summary>The culture's own symbol when it uses this currency (¥ for CNY in zh-CN), else the currency's usual symbol, else its code.</summary>
    public static string Symbol(string currency, CultureInfo culture)
    {
        if (!culture.IsNeutralCulture && culture.Name.Length > 0 && new RegionInfo(culture.Name).ISOCurrencySymbol == currency)
            return culture.NumberFormat.CurrencySymbol;
        return Symbols.GetOrAdd(currency, code => code switch
        {
            "CNY" => "CN¥",
            "USD" => "US$",
            "JPY" => "JP¥",
            "EUR" => "€",
            "GBP" => "£",
            "HKD" => "HK$",
            _ => code + " ",
        });
    }
}
