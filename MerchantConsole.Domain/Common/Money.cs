namespace MerchantConsole.Domain.Common;

/// <summary>An amount in integer minor units (fen, cents) of one ISO 4217 currency.</summary>
public readonly record struct Money
{
    public long MinorUnits { get; }
    public string Currency { get; }

    public Money(long minorUnits, string currency)
    {
        if (string.IsNullOrWhiteSpace(currency) || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            throw new DomainException("Money.CurrencyInvalid", "'{Currency}' is not a three-letter ISO currency code such as CNY or USD.", ("Currency", currency));
        MinorUnits = minorUnits;
        Currency = currency;
    }

    /// <summary>Minor units per major unit; every currency we serve has two decimals except these.</summary>
    public static int MinorDigits(string currency) => currency switch
    {
        "JPY" or "KRW" or "VND" => 0,
        _ => 2,
    };

    public decimal Major => MinorUnits / (decimal)Math.Pow(10, MinorDigits(Currency));

    public Money Add(Money other)
    {
        if (other.Currency != Currency)
            throw new DomainException("Money.CurrencyMismatch", "Cannot add {Other} to {Currency}.", ("Other", other.Currency), ("Currency", Currency));
        return new Money(MinorUnits + other.MinorUnits, Currency);
    }

    public override string ToString() =>
        $"{Currency} {Major.ToString("N" + MinorDigits(Currency), System.Globalization.CultureInfo.InvariantCulture)}";
}
