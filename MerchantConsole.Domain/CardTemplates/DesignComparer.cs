namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// One changed field between two designs. Values are display text; null means empty or absent
/// (a custom cell that one side does not have).
/// </summary>
public sealed record DesignDifference(string Field, string? OldValue, string? NewValue);

public static class DesignComparer
{
    private static readonly (string Field, Func<DisplayDesign, string?> Text)[] Fields =
    [
        (nameof(DisplayDesign.BrandName), d => d.BrandName),
        (nameof(DisplayDesign.LogoImageId), d => d.LogoImageId?.ToString()),
        (nameof(DisplayDesign.BackgroundColor), d => d.BackgroundColor),
        (nameof(DisplayDesign.BackgroundImageId), d => d.BackgroundImageId?.ToString()),
        (nameof(DisplayDesign.TextColor), d => d.TextColor),
        (nameof(DisplayDesign.Title), d => d.Title),
        (nameof(DisplayDesign.Subtitle), d => d.Subtitle),
        (nameof(DisplayDesign.Notice), d => d.Notice),
        (nameof(DisplayDesign.Description), d => d.Description),
        (nameof(DisplayDesign.ServicePhone), d => d.ServicePhone),
        (nameof(DisplayDesign.Barcode), d => d.Barcode.ToString()),
        (nameof(DisplayDesign.ShownFields), d => d.ShownFields.ToString()),
    ];

    /// <summary>Changed fields in editor order; custom cells are compared position by position.</summary>
    public static IReadOnlyList<DesignDifference> Compare(DisplayDesign older, DisplayDesign newer)
    {
        var differences = new List<DesignDifference>();
        foreach (var (field, text) in Fields)
            Add(differences, field, text(older), text(newer));

        var cells = Math.Max(older.CustomCells.Count, newer.CustomCells.Count);
        for (var i = 0; i < cells; i++)
            Add(differences, $"{nameof(DisplayDesign.CustomCells)}[{i}]",
                CellText(older.CustomCells.ElementAtOrDefault(i)), CellText(newer.CustomCells.ElementAtOrDefault(i)));
        return differences;
    }

    private static void Add(List<DesignDifference> differences, string field, string? oldValue, string? newValue)
    {
        oldValue = string.IsNullOrEmpty(oldValue) ? null : oldValue;
        newValue = string.IsNullOrEmpty(newValue) ? null : newValue;
        if (!string.Equals(oldValue, newValue, StringComparison.Ordinal))
            differences.Add(new(field, oldValue, newValue));
    }

    private static string? CellText(CustomCell? cell) => cell switch
    {
        null => null,
        { Source: CellValueSource.FixedText } => $"{cell.Label}: \"{cell.FixedText}\"",
        _ => $"{cell.Label}: {cell.Source}",
    };
}
