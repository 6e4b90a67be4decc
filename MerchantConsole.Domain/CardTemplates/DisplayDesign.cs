using System.Text.Json.Serialization;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// What a card looks like to its holder. Immutable so a published version can hand out its design
/// without anyone changing it; the editor works on copies made with <c>with</c>.
/// Stored as one JSON column, so every property must round-trip through System.Text.Json.
/// </summary>
public sealed record DisplayDesign
{
    public const int MaxCustomCells = 3;

    public string BrandName { get; init; } = "";
    /// <summary>Id of an uploaded image.</summary>
    public Guid? LogoImageId { get; init; }
    /// <summary>
    /// Always required, even with a background image: wallets that take only a colour (Apple,
    /// Google, the WeChat palette) and the contrast check use it.
    /// </summary>
    public string BackgroundColor { get; init; } = "#63B359";
    /// <summary>Id of an uploaded image; when set it is drawn over <see cref="BackgroundColor"/>.</summary>
    public Guid? BackgroundImageId { get; init; }
    public string TextColor { get; init; } = "#000000";
    public string Title { get; init; } = "";
    public string? Subtitle { get; init; }
    /// <summary>使用须知.</summary>
    public string? Notice { get; init; }
    public string? Description { get; init; }
    public string? ServicePhone { get; init; }
    public BarcodeKind Barcode { get; init; } = BarcodeKind.QrCode;
    public ShownFields ShownFields { get; init; } = ShownFields.CardNumber | ShownFields.Tier | ShownFields.Points;

    // A JSON document may say "CustomCells": null; the rest of the model can then rely on a list.
    public IReadOnlyList<CustomCell> CustomCells { get; init => field = value ?? []; } = [];

    // The synthesized equality compares the list by reference; two versions with the same cells must
    // compare equal, or the history would show changes nobody made.
    public bool Equals(DisplayDesign? other) =>
        other is not null
        && BrandName == other.BrandName
        && LogoImageId == other.LogoImageId
        && BackgroundColor == other.BackgroundColor
        && BackgroundImageId == other.BackgroundImageId
        && TextColor == other.TextColor
        && Title == other.Title
        && Subtitle == other.Subtitle
        && Notice == other.Notice
        && Description == other.Description
        && ServicePhone == other.ServicePhone
        && Barcode == other.Barcode
        && ShownFields == other.ShownFields
        && CustomCells.SequenceEqual(other.CustomCells);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(BrandName);
        hash.Add(LogoImageId);
        hash.Add(BackgroundColor);
        hash.Add(BackgroundImageId);
        hash.Add(TextColor);
        hash.Add(Title);
        hash.Add(Subtitle);
        hash.Add(Notice);
        hash.Add(Description);
        hash.Add(ServicePhone);
        hash.Add(Barcode);
        hash.Add(ShownFields);
        foreach (var cell in CustomCells)
            hash.Add(cell);
        return hash.ToHashCode();
    }
}

/// <summary>A labelled cell on the card face showing a member value or fixed text.</summary>
/// <param name="FixedText">Shown only when <paramref name="Source"/> is <see cref="CellValueSource.FixedText"/>.</param>
public sealed record CustomCell(string Label, CellValueSource Source, string? FixedText = null);

// Enums are stored by name in the JSON column so reordering members cannot change saved designs.
[JsonConverter(typeof(JsonStringEnumConverter<CellValueSource>))]
public enum CellValueSource
{
    CardNumber,
    Tier,
    Points,
    Balance,
    Expiry,
    MemberName,
    FixedText,
}

[JsonConverter(typeof(JsonStringEnumConverter<BarcodeKind>))]
public enum BarcodeKind
{
    None,
    QrCode,
    Code128,
}

/// <summary>Member values printed on the card face.</summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<ShownFields>))]
public enum ShownFields
{
    None = 0,
    CardNumber = 1,
    Tier = 2,
    Points = 4,
    Balance = 8,
    Expiry = 16,
    All = CardNumber | Tier | Points | Balance | Expiry,
}
