using System.Globalization;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// Member values to draw a card with: a preset for previews, or a real member's values when a wallet
/// pass is exported for one card.
/// </summary>
/// <param name="ExpiresOn">Null for a card that never expires.</param>
public sealed record SampleCard(string CardNumber, string MemberName, string TierName, long Points, Money Balance, DateOnly? ExpiresOn)
{
    public const string NeverExpires = "Permanent";

    public static SampleCard NewMember { get; } =
        new("8800 0000 0001", "李雷", "普通会员", 0, new Money(0, "CNY"), null);

    public static SampleCard Regular { get; } =
        new("8800 1234 5678", "韩梅梅", "金卡", 2_680, new Money(12_800, "CNY"), new DateOnly(2027, 12, 31));

    /// <summary>Long values, to see whether the face still fits.</summary>
    public static SampleCard Longest { get; } =
        new("8800 9999 9999 9999", "欧阳娜娜·Alexandra", "钻石至尊黑金会员", 9_999_999, new Money(99_999_999, "CNY"), new DateOnly(2099, 12, 31));

    public static IReadOnlyList<SampleCard> Presets { get; } = [NewMember, Regular, Longest];

    public string Display(CellValueSource source) => source switch
    {
        CellValueSource.CardNumber => CardNumber,
        CellValueSource.Tier => TierName,
        CellValueSource.Points => Points.ToString("N0", CultureInfo.InvariantCulture),
        CellValueSource.Balance => Balance.ToString(),
        CellValueSource.Expiry => ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? NeverExpires,
        CellValueSource.MemberName => MemberName,
        CellValueSource.FixedText => throw new ArgumentException("Fixed text belongs to a cell, not to a card.", nameof(source)),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public string Display(CustomCell cell) =>
        cell.Source == CellValueSource.FixedText ? cell.FixedText ?? "" : Display(cell.Source);

    /// <summary>The value of one shown field (a single flag).</summary>
    public string Display(ShownFields field) => Display(CardFace.SourceOf(field));
}
