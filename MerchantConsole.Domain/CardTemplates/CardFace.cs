namespace MerchantConsole.Domain.CardTemplates;

/// <summary>The fixed order and default labels of the member fields a card face can show.</summary>
public static class CardFace
{
    private static readonly ShownFields[] Order =
        [ShownFields.CardNumber, ShownFields.Tier, ShownFields.Points, ShownFields.Balance, ShownFields.Expiry];

    /// <summary>The single flags set in <paramref name="fields"/>, in card-face order.</summary>
    public static IReadOnlyList<ShownFields> Each(ShownFields fields) => [.. Order.Where(f => fields.HasFlag(f))];

    public static CellValueSource SourceOf(ShownFields field) => field switch
    {
        ShownFields.CardNumber => CellValueSource.CardNumber,
        ShownFields.Tier => CellValueSource.Tier,
        ShownFields.Points => CellValueSource.Points,
        ShownFields.Balance => CellValueSource.Balance,
        ShownFields.Expiry => CellValueSource.Expiry,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Pass exactly one field."),
    };

    /// <summary>
    /// Labels written into wallet passes. The console localizes its own screens; a pass carries one
    /// language, and wallets translate neither.
    /// </summary>
    public static string Label(ShownFields field) => field switch
    {
        ShownFields.CardNumber => "Card number",
        ShownFields.Tier => "Tier",
        ShownFields.Points => "Points",
        ShownFields.Balance => "Balance",
        ShownFields.Expiry => "Expires",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Pass exactly one field."),
    };
}
