using System.Globalization;
using System.Text.RegularExpressions;
using MerchantConsole.Domain.Common;
using MerchantConsole.Localization;

namespace MerchantConsole.Features.Orders;

/// <summary>
/// A ledger line's detail as staff read it. The ledger keeps amounts as "minor-units currency" (exact, culture-free);
/// the page shows each as money in the reader's culture ("19900 CNY" → "¥199.00").
/// </summary>
public static partial class OrderLedgerText
{
    public static string? Detail(string? detail, CultureInfo culture) =>
        detail is null ? null : Amount().Replace(detail, m =>
            long.TryParse(m.Groups["minor"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
                ? MoneyFormat.Format(new Money(minor, m.Groups["currency"].Value), culture)
                : m.Value);

    [GeneratedRegex(@"\b(?<minor>\d{1,18}) (?<currency>[A-Z]{3})\b")]
    private static partial Regex Amount();
}
