using System.Text.RegularExpressions;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// One refused field. <see cref="FieldName"/> is the <see cref="DisplayDesign"/> property name
/// (<c>CustomCells[1].Label</c> for a cell), so the editor can put the message under its input.
/// </summary>
public sealed record DesignError(string FieldName, string Message)
{
    /// <summary>Which rule refused the field, so a screen can word the message in its own language.</summary>
    public DesignErrorKind Kind { get; init; }
    /// <summary>The limit for <see cref="DesignErrorKind.TooLong"/> and <see cref="DesignErrorKind.TooManyCells"/>.</summary>
    public int? Max { get; init; }
    /// <summary>The length or count the design has now.</summary>
    public int? Actual { get; init; }
}

public enum DesignErrorKind
{
    Required,
    TooLong,
    ColourFormat,
    PhoneFormat,
    UnknownBarcode,
    UnknownShownField,
    TooManyCells,
    EmptyCell,
    UnknownCellSource,
    EmptyImageReference,
    /// <summary>Within <see cref="DesignError.Max"/> characters but over the storage cap (long emoji sequences).</summary>
    TooLongToStore,
    /// <summary>A character carries too many combining marks.</summary>
    TooManyMarks,
}

public static partial class DisplayDesignValidator
{
    public const int NameMax = 50;
    public const int BrandNameMax = 36;
    public const int TitleMax = 36;
    public const int SubtitleMax = 60;
    public const int NoticeMax = 200;
    public const int DescriptionMax = 1000;
    public const int CellLabelMax = 12;
    public const int FixedTextMax = 40;

    /// <summary>The template name is a column; its size comes from here.</summary>
    public static readonly TextLimit NameLimit = TextLimit.Of(NameMax);

    public static IReadOnlyList<DesignError> ValidateName(string? name)
    {
        var errors = new List<DesignError>();
        Text(errors, nameof(CardTemplate.Name), "Template name", name, NameMax, required: true);
        return errors;
    }

    public static IReadOnlyList<DesignError> Validate(DisplayDesign design)
    {
        var errors = new List<DesignError>();
        Text(errors, nameof(DisplayDesign.BrandName), "Brand name", design.BrandName, BrandNameMax, required: true);
        Text(errors, nameof(DisplayDesign.Title), "Title", design.Title, TitleMax, required: true);
        Text(errors, nameof(DisplayDesign.Subtitle), "Subtitle", design.Subtitle, SubtitleMax);
        Text(errors, nameof(DisplayDesign.Notice), "Notice", design.Notice, NoticeMax);
        Text(errors, nameof(DisplayDesign.Description), "Description", design.Description, DescriptionMax);
        Colour(errors, nameof(DisplayDesign.BackgroundColor), "Background colour", design.BackgroundColor);
        Colour(errors, nameof(DisplayDesign.TextColor), "Text colour", design.TextColor);
        Image(errors, nameof(DisplayDesign.LogoImageId), "logo", design.LogoImageId);
        Image(errors, nameof(DisplayDesign.BackgroundImageId), "background image", design.BackgroundImageId);

        if (!string.IsNullOrWhiteSpace(design.ServicePhone) && !PhonePattern().IsMatch(design.ServicePhone.Trim()))
            errors.Add(new(nameof(DisplayDesign.ServicePhone),
                "Service phone is 5–20 characters of digits, spaces, +, - and parentheses, such as 400-820-8820 or +86 21 1234 5678.")
            { Kind = DesignErrorKind.PhoneFormat });

        if (!Enum.IsDefined(design.Barcode))
            errors.Add(new(nameof(DisplayDesign.Barcode), "Choose QR code, Code 128 or no barcode.") { Kind = DesignErrorKind.UnknownBarcode });
        if ((design.ShownFields & ~ShownFields.All) != 0)
            errors.Add(new(nameof(DisplayDesign.ShownFields), "Only card number, tier, points, balance and expiry can be shown.")
            { Kind = DesignErrorKind.UnknownShownField });

        if (design.CustomCells.Count > DisplayDesign.MaxCustomCells)
            errors.Add(new(nameof(DisplayDesign.CustomCells),
                $"A card has at most {DisplayDesign.MaxCustomCells} custom cells (now {design.CustomCells.Count}).")
            { Kind = DesignErrorKind.TooManyCells, Max = DisplayDesign.MaxCustomCells, Actual = design.CustomCells.Count });
        for (var i = 0; i < design.CustomCells.Count; i++)
            Cell(errors, $"{nameof(DisplayDesign.CustomCells)}[{i}]", i + 1, design.CustomCells[i]);

        return errors;
    }

    /// <summary>Throws with every message when the design cannot be saved.</summary>
    public static void EnsureValid(DisplayDesign design)
    {
        var errors = Validate(design);
        if (errors.Count > 0)
            throw new DomainException("CardTemplate.DesignInvalid", "The card design cannot be saved: {Problems}", ("Problems", string.Join(" ", errors.Select(e => e.Message))));
    }

    private static void Cell(List<DesignError> errors, string path, int ordinal, CustomCell? cell)
    {
        if (cell is null)
        {
            errors.Add(new(path, $"Custom cell {ordinal} is empty.") { Kind = DesignErrorKind.EmptyCell });
            return;
        }
        Text(errors, $"{path}.{nameof(CustomCell.Label)}", $"Custom cell {ordinal} label", cell.Label, CellLabelMax, required: true);
        if (!Enum.IsDefined(cell.Source))
            errors.Add(new($"{path}.{nameof(CustomCell.Source)}", $"Choose what custom cell {ordinal} shows.") { Kind = DesignErrorKind.UnknownCellSource });
        else if (cell.Source == CellValueSource.FixedText)
            Text(errors, $"{path}.{nameof(CustomCell.FixedText)}", $"Custom cell {ordinal} text", cell.FixedText, FixedTextMax, required: true);
    }

    private static void Text(List<DesignError> errors, string field, string label, string? value, int max, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
                errors.Add(new(field, $"{label} is required.") { Kind = DesignErrorKind.Required });
            return;
        }
        var check = TextLimit.Of(max).Check(value);
        switch (check.Problem)
        {
            case TextProblem.TooLong:
                errors.Add(new(field, $"{label} is at most {max} characters (now {check.Actual}).")
                { Kind = DesignErrorKind.TooLong, Max = max, Actual = check.Actual });
                break;
            case TextProblem.TooLongToStore:
                errors.Add(new(field, $"{label} takes too much room to store: emoji and some symbols count several times. Shorten it.")
                { Kind = DesignErrorKind.TooLongToStore, Max = check.Max, Actual = check.Actual });
                break;
            case TextProblem.TooManyMarks:
                errors.Add(new(field, $"{label} stacks {check.Actual} accents or marks on one character; at most {check.Max} are allowed.")
                { Kind = DesignErrorKind.TooManyMarks, Max = check.Max, Actual = check.Actual });
                break;
        }
    }

    private static void Colour(List<DesignError> errors, string field, string label, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(new(field, $"{label} is required.") { Kind = DesignErrorKind.Required });
        else if (!HexColor.IsValid(value))
            errors.Add(new(field, $"{label} must be written as #RRGGBB, such as #1A2B3C (now '{value}').") { Kind = DesignErrorKind.ColourFormat });
    }

    private static void Image(List<DesignError> errors, string field, string what, Guid? id)
    {
        if (id == Guid.Empty)
            errors.Add(new(field, $"Upload the {what} again; the reference to it is empty.") { Kind = DesignErrorKind.EmptyImageReference });
    }

    // At least one digit, so "(-- --)" is not a phone number.
    [GeneratedRegex(@"^(?=.*\d)[0-9 +()\-]{5,20}$")]
    private static partial Regex PhonePattern();
}
