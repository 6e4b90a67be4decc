using System.Security.Cryptography;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Members;

/// <summary>
/// A membership card number: <see cref="Length"/> digits starting <see cref="Prefix"/>, random in the middle (so
/// numbers say nothing about how many members a merchant has) and a Luhn check digit last (so a mistyped digit
/// at the till is caught before a lookup). Stored bare; shown in groups of four, as printed on the card.
/// </summary>
public static class CardNumbers
{
    public const string Prefix = "88";
    public const int Length = 12;

    /// <summary>A new random number; uniqueness per merchant is the database's to enforce (a clash is retried).</summary>
    public static string Generate()
    {
        var body = Prefix + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    /// <summary>The stored form of a typed or scanned number (separators dropped, full-width digits made ASCII), or a <c>Membership.CardNumberInvalid</c> refusal.</summary>
    public static string Normalise(string? text)
    {
        var digits = PhoneNumber.DigitsOf(text);
        if (digits is not { Length: Length } || !digits.StartsWith(Prefix, StringComparison.Ordinal) || CheckDigit(digits[..^1]) != digits[^1])
            throw new DomainException("Membership.CardNumberInvalid", "'{CardNumber}' is not a card number of {Length} digits.",
                ("CardNumber", text is null ? "" : TextLength.Clip(text.Trim(), 32)), ("Length", Length));
        return digits;
    }

    public static bool IsValid(string? text)
    {
        var digits = PhoneNumber.DigitsOf(text);
        return digits is { Length: Length } && digits.StartsWith(Prefix, StringComparison.Ordinal) && CheckDigit(digits[..^1]) == digits[^1];
    }

    /// <summary><c>8800 1234 5678</c>.</summary>
    public static string Display(string cardNumber) =>
        string.Join(' ', Enumerable.Range(0, (cardNumber.Length + 3) / 4).Select(i => cardNumber.Substring(i * 4, Math.Min(4, cardNumber.Length - i * 4))));

    /// <summary>The Luhn digit that makes <paramref name="body"/> + digit pass the check.</summary>
    public static char CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }
}
