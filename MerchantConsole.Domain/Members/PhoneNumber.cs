using System.Text;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Members;

/// <summary>
/// The one home of how a customer's phone number is written down, so the same phone typed two ways finds the same
/// customer: spaces, hyphens, dots and brackets go, full-width digits (typed with a Chinese input method) become
/// ASCII, a leading <c>00</c> becomes <c>+</c>, and a mainland mobile with its country code (<c>+86 138…</c>) is kept
/// in the national form every Chinese till and form uses (<c>138…</c>).
/// </summary>
public static class PhoneNumber
{
    public const int MinDigits = 5;
    /// <summary>E.164 allows at most 15 digits; the column holds them and the plus.</summary>
    public const int MaxDigits = 15;
    public const int MaxLength = MaxDigits + 1;

    /// <summary>The longest phone as typed (spaces, brackets and a country code included); longer text is no phone.</summary>
    public const int MaxTypedLength = 32;

    /// <summary>
    /// The stored form of <paramref name="text"/>, or a <c>Customer.PhoneRequired</c>, <c>Customer.PhoneTooLong</c> (which does
    /// not repeat the text) or <c>Customer.PhoneInvalid</c> refusal.
    /// </summary>
    public static string Normalise(string? text) =>
        TryNormalise(text, out var phone) ? phone
        : string.IsNullOrWhiteSpace(text)
            ? throw new DomainException("Customer.PhoneRequired", "A phone number is required.")
            : text.Trim().Length > MaxTypedLength
            ? throw new DomainException("Customer.PhoneTooLong", "A phone number is at most {Max} characters.", ("Max", MaxTypedLength))
            : throw new DomainException("Customer.PhoneInvalid",
                "'{Phone}' is not a phone number: use {Min}–{Max} digits, optionally starting with + and a country code.",
                ("Phone", Shorten(text)), ("Min", MinDigits), ("Max", MaxDigits));

    public static bool TryNormalise(string? text, out string phone)
    {
        phone = "";
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var digits = new StringBuilder(text.Length);
        var plus = false;
        foreach (var c in text.Trim())
        {
            if (c is >= '0' and <= '9')
                digits.Append(c);
            else if (c is >= '０' and <= '９')
                digits.Append((char)('0' + (c - '０')));
            else if ((c is '+' or '＋') && digits.Length == 0 && !plus)
                plus = true;
            else if (c is not (' ' or '\u3000' or '-' or '.' or '(' or ')' or '（' or '）' or '－'))
                return false;
        }
        var number = digits.ToString();
        if (!plus && number.StartsWith("00", StringComparison.Ordinal))
        {
            plus = true;
            number = number[2..];
        }
        if (plus && number.Length == 13 && number.StartsWith("861", StringComparison.Ordinal))
        {
            plus = false;
            number = number[2..];
        }
        if (number.Length is < MinDigits or > MaxDigits || (plus && number[0] == '0'))
            return false;
        phone = plus ? "+" + number : number;
        return true;
    }

    /// <summary>A search text in the stored form when it could be part of a phone or card number (digits and separators), else null.</summary>
    public static string? DigitsOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var digits = new StringBuilder();
        foreach (var c in text.Trim())
        {
            if (c is >= '0' and <= '9')
                digits.Append(c);
            else if (c is >= '０' and <= '９')
                digits.Append((char)('0' + (c - '０')));
            else if (c is not (' ' or '\u3000' or '-' or '.' or '(' or ')' or '+' or '＋'))
                return null;
        }
        return digits.Length == 0 ? null : digits.ToString();
    }

    // A refusal repeats what was typed; a pasted page should not come back whole.
    private static string Shorten(string text) => TextLength.Clip(text.Trim(), 32);
}
