using MerchantConsole.Domain.Common;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Features.Plans;

/// <summary>
/// Converts what staff type (a decimal amount in major units) into the integer minor units the domain keeps,
/// exactly: an amount with more decimals than the currency has is refused rather than rounded.
/// </summary>
public static class MoneyInput
{
    public static long ToMinorUnits(decimal amount, string currency)
    {
        var digits = Money.MinorDigits(currency);
        var scaled = amount * Pow10(digits);
        if (scaled != decimal.Truncate(scaled))
            throw new MoneyFormatException(currency, digits);
        if (scaled > long.MaxValue || scaled < long.MinValue)
            throw new DomainException("Money.AmountTooLarge", "The amount is too large.");
        return (long)scaled;
    }

    /// <summary>What is wrong with an amount typed for <paramref name="currency"/>; null when it can be stored as is.</summary>
    public static MoneyInputProblem? Check(decimal? amount, string currency)
    {
        if (amount is not { } value)
            return null;
        if (value < 0)
            return MoneyInputProblem.Negative;
        var factor = Pow10(Money.MinorDigits(currency));
        if (value > long.MaxValue / factor)
            return MoneyInputProblem.TooLarge;
        var scaled = value * factor;
        return scaled != decimal.Truncate(scaled) ? MoneyInputProblem.TooManyDecimals : null;
    }

    /// <summary>
    /// A field's validation: the message to show under an amount field, so a wrong amount is refused where it was typed
    /// and the step is not saved.
    /// </summary>
    public static string? Validate(decimal? amount, string currency, IStringLocalizer<PlanStrings> text) => Check(amount, currency) switch
    {
        MoneyInputProblem.Negative => text["Money.Negative"].Value,
        MoneyInputProblem.TooLarge => text["Money.TooLarge"].Value,
        MoneyInputProblem.TooManyDecimals when Money.MinorDigits(currency) == 0 => text["Error.NoDecimals", currency].Value,
        MoneyInputProblem.TooManyDecimals => text["Error.TooManyDecimals", currency, Money.MinorDigits(currency)].Value,
        _ => null,
    };

    public static decimal ToMajor(long minorUnits, string currency) => minorUnits / Pow10(Money.MinorDigits(currency));

    public static Money ToMoney(decimal amount, string currency) => new(ToMinorUnits(amount, currency), currency);

    private static decimal Pow10(int digits)
    {
        var factor = 1m;
        for (var i = 0; i < digits; i++) factor *= 10;
        return factor;
    }
}

public enum MoneyInputProblem
{
    Negative,
    TooManyDecimals,
    TooLarge,
}

/// <summary>An amount with more decimals than its currency has, e.g. 19.905 CNY or 100.5 JPY.</summary>
public sealed class MoneyFormatException(string currency, int digits)
    : DomainException(digits == 0
        ? Refusal.Of("Money.NoDecimals", "{Currency} amounts have no decimals.", ("Currency", currency))
        : Refusal.Of("Money.TooManyDecimals", "{Currency} amounts have at most {Digits} decimals.", ("Currency", currency), ("Digits", digits)))
{
    public string Currency { get; } = currency;
    public int Digits { get; } = digits;
}
