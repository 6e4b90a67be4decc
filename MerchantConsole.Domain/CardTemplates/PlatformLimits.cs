using System.Globalization;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

public enum WalletPlatform
{
    /// <summary>WeChat card, classic card API (微信卡券).</summary>
    WeChatCard,
    /// <summary>WeChat Pay brand member card (微信支付品牌会员卡).</summary>
    WeChatPayMemberCard,
    AppleWallet,
    GoogleWallet,
}

/// <summary>
/// A design that a platform would reject or cut short. <see cref="Field"/> is a
/// <see cref="DisplayDesign"/> property name, or <c>TierName</c> for the sample tier.
/// </summary>
public sealed record PlatformWarning(WalletPlatform Platform, string Field, string Limit, string Actual, string Message);

/// <summary>What the upload store knows about an image; the domain never reads image bytes.</summary>
public sealed record ImageFacts(int Width, int Height, long ByteLength);

/// <summary>
/// Limits of the wallets a merchant may push the card to. They are warnings: a merchant who never
/// uses a platform can ignore its limits.
/// </summary>
public static class PlatformLimits
{
    public const int WeChatTitleMax = 9;
    public const int WeChatBrandNameMax = 12;
    public const int WeChatNoticeMax = 16;
    public const int WeChatPayTitleMax = 10;
    public const int WeChatPayBackgroundWidth = 716;
    public const int WeChatPayBackgroundHeight = 320;
    public const long WeChatPayBackgroundMaxBytes = 1024 * 1024;
    public const int AppleSquareBarcodeFieldsMax = 4;
    public const int GoogleTierNameMax = 7;

    /// <summary>The classic WeChat card palette; a card's colour must be one of these names.</summary>
    public static IReadOnlyList<(string Name, string Hex)> WeChatPalette { get; } =
    [
        ("Color010", "#63b359"),
        ("Color020", "#2c9f67"),
        ("Color030", "#509fc9"),
        ("Color040", "#5885cf"),
        ("Color050", "#9062c0"),
        ("Color060", "#d09a45"),
        ("Color070", "#e4b138"),
        ("Color080", "#ee903c"),
        ("Color081", "#f08500"),
        ("Color082", "#a9d92d"),
        ("Color090", "#dd6549"),
        ("Color100", "#cc463d"),
    ];

    /// <summary>Every platform at once, in platform order.</summary>
    public static IReadOnlyList<PlatformWarning> Check(DisplayDesign design, ImageFacts? backgroundImage = null, string? sampleTierName = null) =>
    [
        .. WeChatCard(design),
        .. WeChatPayMemberCard(design, backgroundImage),
        .. AppleWallet(design),
        .. GoogleWallet(sampleTierName),
    ];

    public static IReadOnlyList<PlatformWarning> WeChatCard(DisplayDesign design)
    {
        var warnings = new List<PlatformWarning>();
        const WalletPlatform platform = WalletPlatform.WeChatCard;
        Length(warnings, platform, nameof(DisplayDesign.Title), "title", design.Title, WeChatTitleMax, "WeChat card");
        Length(warnings, platform, nameof(DisplayDesign.BrandName), "brand name", design.BrandName, WeChatBrandNameMax, "WeChat card");
        Length(warnings, platform, nameof(DisplayDesign.Notice), "notice", design.Notice, WeChatNoticeMax, "WeChat card");

        if (HexColor.IsValid(design.BackgroundColor) && PaletteName(design.BackgroundColor) is null)
        {
            var (name, hex) = NearestPaletteColour(design.BackgroundColor);
            warnings.Add(new(platform, nameof(DisplayDesign.BackgroundColor), "Color010–Color100", design.BackgroundColor,
                $"WeChat cards take only palette colours; {design.BackgroundColor} is not one. The nearest is {name} ({hex})."));
        }
        return warnings;
    }

    public static IReadOnlyList<PlatformWarning> WeChatPayMemberCard(DisplayDesign design, ImageFacts? backgroundImage)
    {
        var warnings = new List<PlatformWarning>();
        const WalletPlatform platform = WalletPlatform.WeChatPayMemberCard;
        Length(warnings, platform, nameof(DisplayDesign.Title), "card title", design.Title, WeChatPayTitleMax, "WeChat Pay member card");

        // Without facts about the upload there is nothing to measure.
        if (design.BackgroundImageId is null || backgroundImage is null)
            return warnings;
        if (backgroundImage.Width != WeChatPayBackgroundWidth || backgroundImage.Height != WeChatPayBackgroundHeight)
            warnings.Add(new(platform, nameof(DisplayDesign.BackgroundImageId),
                $"{WeChatPayBackgroundWidth}×{WeChatPayBackgroundHeight} px", $"{backgroundImage.Width}×{backgroundImage.Height} px",
                $"A WeChat Pay member card background must be exactly {WeChatPayBackgroundWidth}×{WeChatPayBackgroundHeight} px; " +
                $"this image is {backgroundImage.Width}×{backgroundImage.Height} px."));
        if (backgroundImage.ByteLength >= WeChatPayBackgroundMaxBytes)
            warnings.Add(new(platform, nameof(DisplayDesign.BackgroundImageId), "under 1 MB", Megabytes(backgroundImage.ByteLength),
                $"A WeChat Pay member card background must be under 1 MB; this image is {Megabytes(backgroundImage.ByteLength)}."));
        return warnings;
    }

    /// <summary>
    /// The fields an Apple store card shows below the primary one: the card number is alone in primaryFields, every other
    /// shown field is a secondary field and every custom cell an auxiliary one (the wallet export lays passes out so).
    /// </summary>
    public static int AppleSecondaryAndAuxiliaryCount(DisplayDesign design) =>
        CardFace.Each(design.ShownFields).Count(f => f != ShownFields.CardNumber) + design.CustomCells.Count;

    public static IReadOnlyList<PlatformWarning> AppleWallet(DisplayDesign design)
    {
        // Apple allows four secondary and auxiliary fields combined on a store card with a square barcode.
        if (design.Barcode != BarcodeKind.QrCode)
            return [];
        var count = AppleSecondaryAndAuxiliaryCount(design);
        if (count <= AppleSquareBarcodeFieldsMax)
            return [];
        return
        [
            new(WalletPlatform.AppleWallet, nameof(DisplayDesign.ShownFields),
                $"{AppleSquareBarcodeFieldsMax} fields", $"{count} fields",
                $"With a QR code, an Apple Wallet store card shows at most {AppleSquareBarcodeFieldsMax} fields besides the card number; " +
                $"this design has {count} (shown fields and custom cells). Hide a field or remove a custom cell."),
        ];
    }

    public static IReadOnlyList<PlatformWarning> GoogleWallet(string? sampleTierName)
    {
        var warnings = new List<PlatformWarning>();
        Length(warnings, WalletPlatform.GoogleWallet, "TierName", "tier name", sampleTierName, GoogleTierNameMax, "Google Wallet loyalty card");
        return warnings;
    }

    /// <summary>The palette name of a colour, or null when it is not in the palette.</summary>
    public static string? PaletteName(string hex) =>
        WeChatPalette.Where(p => string.Equals(p.Hex, hex, StringComparison.OrdinalIgnoreCase)).Select(p => p.Name).FirstOrDefault();

    /// <summary>Nearest by straight-line distance in RGB: simple, and good enough to suggest a colour.</summary>
    public static (string Name, string Hex) NearestPaletteColour(string hex)
    {
        var (r, g, b) = HexColor.Parse(hex);
        return WeChatPalette.MinBy(p =>
        {
            var (pr, pg, pb) = HexColor.Parse(p.Hex);
            return (r - pr) * (r - pr) + (g - pg) * (g - pg) + (b - pb) * (b - pb);
        });
    }

    private static void Length(List<PlatformWarning> warnings, WalletPlatform platform, string field, string what,
        string? value, int max, string platformName)
    {
        var length = TextLength.Of(value);
        if (length > max)
            warnings.Add(new(platform, field, $"{max} characters", $"{length} characters",
                $"A {platformName} shows a {what} of at most {max} characters; this one has {length}."));
    }

    private static string Megabytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.##} MB");
}
