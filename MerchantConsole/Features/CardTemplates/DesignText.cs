using System.Globalization;
using System.Text.RegularExpressions;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>
/// Words the domain's refusals and warnings in the staff member's language. The domain keeps its
/// English messages for logs and exceptions; screens use these.
/// </summary>
public static partial class DesignText
{
    public static string Error(IStringLocalizer<CardTemplateStrings> t, DesignError error)
    {
        var field = FieldLabel(t, error.FieldName);
        return error.Kind switch
        {
            DesignErrorKind.Required => t["Error.Required", field],
            DesignErrorKind.TooLong => t["Error.TooLong", field, error.Max ?? 0, error.Actual ?? 0],
            DesignErrorKind.ColourFormat => t["Error.ColourFormat", field],
            DesignErrorKind.PhoneFormat => t["Error.PhoneFormat"],
            DesignErrorKind.TooManyCells => t["Error.TooManyCells", error.Max ?? 0, error.Actual ?? 0],
            DesignErrorKind.EmptyCell or DesignErrorKind.UnknownCellSource => t["Error.CellSource", field],
            DesignErrorKind.UnknownBarcode => t["Error.Barcode"],
            DesignErrorKind.UnknownShownField => t["Error.ShownFields"],
            DesignErrorKind.EmptyImageReference => t["Error.ImageReference", field],
            DesignErrorKind.TooLongToStore => t["Error.TooLongToStore", field],
            DesignErrorKind.TooManyMarks => t["Error.TooManyMarks", field, error.Max ?? 0, error.Actual ?? 0],
            _ => error.Message,
        };
    }

    /// <summary>"CustomCells[1].Label" reads as "Custom cell 2 label".</summary>
    public static string FieldLabel(IStringLocalizer<CardTemplateStrings> t, string fieldName)
    {
        var cell = CellPath().Match(fieldName);
        if (cell.Success)
        {
            var ordinal = int.Parse(cell.Groups[1].Value, CultureInfo.InvariantCulture) + 1;
            return cell.Groups[2].Value switch
            {
                "" => t["Field.Cell", ordinal],
                ".FixedText" => t["Field.CellText", ordinal],
                ".Source" => t["Field.CellSource", ordinal],
                _ => t["Field.CellLabel", ordinal],
            };
        }
        var label = t["Field." + fieldName];
        return label.ResourceNotFound ? fieldName : label;
    }

    public static string Warning(IStringLocalizer<CardTemplateStrings> t, PlatformWarning warning)
    {
        var limit = LeadingNumber(warning.Limit);
        var actual = LeadingNumber(warning.Actual);
        return (warning.Platform, warning.Field) switch
        {
            (WalletPlatform.WeChatCard, nameof(DisplayDesign.BackgroundColor)) =>
                t["Warn.WeChatCard.BackgroundColor", warning.Actual, Nearest(warning.Actual)],
            (WalletPlatform.WeChatPayMemberCard, nameof(DisplayDesign.BackgroundImageId)) when warning.Limit.Contains('×') =>
                t["Warn.WeChatPayMemberCard.BackgroundSize", PlatformLimits.WeChatPayBackgroundWidth, PlatformLimits.WeChatPayBackgroundHeight, warning.Actual],
            (WalletPlatform.WeChatPayMemberCard, nameof(DisplayDesign.BackgroundImageId)) =>
                t["Warn.WeChatPayMemberCard.BackgroundBytes", warning.Actual],
            var (platform, field) when t[$"Warn.{platform}.{field}"] is { ResourceNotFound: false } text =>
                string.Format(CultureInfo.CurrentCulture, text.Value, limit, actual),
            _ => warning.Message,
        };
    }

    public static string Platform(IStringLocalizer<CardTemplateStrings> t, WalletPlatform platform) => t[$"Platform.{platform}"];

    public static string Status(IStringLocalizer<CardTemplateStrings> t, CardTemplateStatus status) => t[$"Status.{status}"];

    public static string VersionStatus(IStringLocalizer<CardTemplateStrings> t, CardTemplateVersionStatus status) => t[$"VersionStatus.{status}"];

    public static string Refusal(IStringLocalizer<CardTemplateStrings> t, ImageRefusal refusal) => Refusal(t, new UploadResult(refusal));

    /// <summary>Why an upload was not stored; a full quota says how full.</summary>
    public static string Refusal(IStringLocalizer<CardTemplateStrings> t, UploadResult result) => t[$"Upload.{result.Refusal}",
        ImageInspector.MaxBytes / 1024 / 1024, ImageInspector.MaxMegapixels, Megabytes(result.UsedBytes), Megabytes(result.QuotaBytes)];

    private static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.#", CultureInfo.CurrentCulture);

    /// <summary>A compared value as staff read it: enum names translated, image ids shortened.</summary>
    public static string? CompareValue(IStringLocalizer<CardTemplateStrings> t, string field, string? value)
    {
        if (value is null)
            return null;
        return field switch
        {
            nameof(DisplayDesign.Barcode) when Enum.TryParse<BarcodeKind>(value, out var kind) => t[$"Barcode.{kind}"],
            nameof(DisplayDesign.ShownFields) when Enum.TryParse<ShownFields>(value, out var shown) =>
                shown == ShownFields.None ? t["Shown.None"] : string.Join(", ", CardFace.Each(shown).Select(f => t[$"Shown.{f}"].Value)),
            nameof(DisplayDesign.LogoImageId) or nameof(DisplayDesign.BackgroundImageId) => t["Compare.Image", value[..8]],
            _ => value,
        };
    }

    private static string Nearest(string hex)
    {
        if (!HexColor.IsValid(hex))
            return "";
        var (name, nearest) = PlatformLimits.NearestPaletteColour(hex);
        return $"{name} ({nearest})";
    }

    private static string LeadingNumber(string text)
    {
        var match = Number().Match(text);
        return match.Success ? match.Value : text;
    }

    [GeneratedRegex(@"^CustomCells\[(\d+)\](.*)$")]
    private static partial Regex CellPath();

    [GeneratedRegex(@"^\d+")]
    private static partial Regex Number();
}
