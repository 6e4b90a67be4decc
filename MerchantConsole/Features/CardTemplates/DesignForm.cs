using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Features.CardTemplates;

public enum ImageSlot
{
    Logo,
    Background,
}

/// <summary>One editable custom cell; empty label means "not filled in yet".</summary>
public sealed class CellForm
{
    public string Label { get; set; } = "";
    public CellValueSource Source { get; set; } = CellValueSource.MemberName;
    public string? FixedText { get; set; }
}

/// <summary>
/// What the designer's inputs bind to. The domain design is immutable, so the form is its mutable
/// twin; <see cref="ToDesign"/> is what the preview, the checks and the save all read.
/// </summary>
public sealed class DesignForm
{
    public string Name { get; set; } = "";
    public string BrandName { get; set; } = "";
    public Guid? LogoImageId { get; set; }
    public bool UseBackgroundImage { get; set; }
    public string BackgroundColor { get; set; } = "#63B359";
    public Guid? BackgroundImageId { get; set; }
    public string TextColor { get; set; } = "#FFFFFF";
    public string Title { get; set; } = "";
    public string? Subtitle { get; set; }
    public string? Notice { get; set; }
    public string? Description { get; set; }
    public string? ServicePhone { get; set; }
    public BarcodeKind Barcode { get; set; } = BarcodeKind.QrCode;
    public ShownFields ShownFields { get; set; } = ShownFields.CardNumber | ShownFields.Tier | ShownFields.Points;
    public List<CellForm> CustomCells { get; set; } = [];

    public bool Shows(ShownFields field) => ShownFields.HasFlag(field);

    public void Show(ShownFields field, bool shown) =>
        ShownFields = shown ? ShownFields | field : ShownFields & ~field;

    public DisplayDesign ToDesign() => new()
    {
        BrandName = BrandName.Trim(),
        LogoImageId = LogoImageId,
        BackgroundColor = BackgroundColor.Trim(),
        // The image choice is kept while the colour is selected, but only the chosen one is saved.
        BackgroundImageId = UseBackgroundImage ? BackgroundImageId : null,
        TextColor = TextColor.Trim(),
        Title = Title.Trim(),
        Subtitle = Optional(Subtitle),
        Notice = Optional(Notice),
        Description = Optional(Description),
        ServicePhone = Optional(ServicePhone),
        Barcode = Barcode,
        ShownFields = ShownFields,
        CustomCells = [.. CustomCells.Select(c => new CustomCell(c.Label.Trim(), c.Source,
            c.Source == CellValueSource.FixedText ? Optional(c.FixedText) : null))],
    };

    public static DesignForm From(string name, DisplayDesign design) => new()
    {
        Name = name,
        BrandName = design.BrandName,
        LogoImageId = design.LogoImageId,
        UseBackgroundImage = design.BackgroundImageId is not null,
        BackgroundColor = design.BackgroundColor,
        BackgroundImageId = design.BackgroundImageId,
        TextColor = design.TextColor,
        Title = design.Title,
        Subtitle = design.Subtitle,
        Notice = design.Notice,
        Description = design.Description,
        ServicePhone = design.ServicePhone,
        Barcode = design.Barcode,
        ShownFields = design.ShownFields,
        CustomCells = [.. design.CustomCells.Select(c => new CellForm { Label = c.Label, Source = c.Source, FixedText = c.FixedText })],
    };

    private static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
