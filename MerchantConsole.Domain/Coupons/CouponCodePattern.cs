using System.Security.Cryptography;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>
/// How a template's codes look: a fixed prefix and <see cref="Length"/> random characters from an alphabet without
/// characters people confuse when reading or typing (0/O, 1/I/L). Codes are stored and compared in upper case, so
/// SQL Server's case-insensitive and SQLite's case-sensitive comparisons agree.
/// </summary>
public sealed record CouponCodePattern(string Prefix, int Length, string Alphabet)
{
    public const string DefaultAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const string LookAlikes = "0O1IL";
    public const int MaxPrefixLength = 8;
    public const int MinLength = 6;
    public const int MaxLength = 24;
    public const int MaxCodeLength = MaxPrefixLength + MaxLength;
    /// <summary>The fewest possible codes a pattern must allow, so codes cannot be guessed and rarely collide.</summary>
    public const double MinimumSpace = 1_000_000;
    /// <summary>Codes a pattern must allow per coupon of stock (or per coupon of an unlimited template's assumed 10 million).</summary>
    public const int SpacePerCoupon = 100;
    public const int AssumedUnlimitedStock = 10_000_000;

    public static CouponCodePattern Default { get; } = new("", 10, DefaultAlphabet);

    /// <summary>How many different codes the pattern can make.</summary>
    public double Space => Math.Pow(Alphabet.Length, Length);

    /// <summary>The pattern in upper case, or a refusal naming what is wrong with it.</summary>
    public CouponCodePattern Validated(int? totalStock)
    {
        var prefix = (Prefix ?? "").Trim().ToUpperInvariant();
        if (prefix.Length > MaxPrefixLength || !prefix.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
            throw new DomainException("CouponTemplate.CodePrefixInvalid", "A code prefix is at most {Max} letters or digits.", ("Max", MaxPrefixLength));
        if (Length is < MinLength or > MaxLength)
            throw new DomainException("CouponTemplate.CodeLengthInvalid", "A code has {Min} to {Max} random characters.", ("Min", MinLength), ("Max", MaxLength));
        var alphabet = (Alphabet ?? "").Trim().ToUpperInvariant();
        if (alphabet.Length < 2 || alphabet.Distinct().Count() != alphabet.Length || !alphabet.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
            throw new DomainException("CouponTemplate.CodeAlphabetInvalid", "A code alphabet is at least two different letters or digits, each once.");
        var lookAlikes = string.Concat(alphabet.Where(LookAlikes.Contains));
        if (lookAlikes.Length > 0)
            throw new DomainException("CouponTemplate.CodeAlphabetLookAlike", "A code alphabet leaves out characters that look alike ({Characters}).", ("Characters", lookAlikes));
        var pattern = new CouponCodePattern(prefix, Length, alphabet);
        var needed = Math.Max(MinimumSpace, (double)SpacePerCoupon * (totalStock ?? AssumedUnlimitedStock));
        if (pattern.Space < needed)
            throw new DomainException("CouponTemplate.CodeSpaceTooSmall",
                "{Length} characters from {Alphabet} make too few codes for this stock; use a longer code or a larger alphabet.",
                ("Length", Length), ("Alphabet", alphabet));
        return pattern;
    }

    /// <summary>A new random code; <paramref name="next"/> returns a number in [0, n) (tests pass their own).</summary>
    public string Generate(Func<int, int>? next = null)
    {
        next ??= RandomNumberGenerator.GetInt32;
        return string.Create(Prefix.Length + Length, (this, next), static (span, state) =>
        {
            var (pattern, random) = state;
            pattern.Prefix.AsSpan().CopyTo(span);
            for (var i = pattern.Prefix.Length; i < span.Length; i++)
                span[i] = pattern.Alphabet[random(pattern.Alphabet.Length)];
        });
    }

    /// <summary>
    /// A code none of <paramref name="isTaken"/> answers true for, trying at most <paramref name="attempts"/> times;
    /// null when every attempt collided (the caller refuses rather than loops forever).
    /// </summary>
    public string? GenerateUnique(Func<string, bool> isTaken, int attempts = 8, Func<int, int>? next = null)
    {
        for (var i = 0; i < attempts; i++)
        {
            var code = Generate(next);
            if (!isTaken(code))
                return code;
        }
        return null;
    }

    /// <summary>What a person typed or scanned, as codes are stored: trimmed, upper case, without spaces or hyphens.</summary>
    public static string Normalise(string? typed) =>
        string.Concat((typed ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();
}
