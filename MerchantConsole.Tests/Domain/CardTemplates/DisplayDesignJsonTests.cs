using System.Text.Json;
using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class DisplayDesignJsonTests
{
    private static DisplayDesign Everything() => Designs.Compliant() with
    {
        BackgroundImageId = Guid.NewGuid(),
        Barcode = BarcodeKind.Code128,
        ShownFields = ShownFields.Tier | ShownFields.Expiry,
        CustomCells =
        [
            new CustomCell("会员", CellValueSource.MemberName),
            new CustomCell("门店", CellValueSource.FixedText, "静安店"),
            new CustomCell("余额", CellValueSource.Balance),
        ],
    };

    [Fact]
    public void ADesignRoundTripsThroughJsonUnchanged()
    {
        var design = Everything();

        var json = JsonSerializer.Serialize(design);
        var back = JsonSerializer.Deserialize<DisplayDesign>(json);

        Assert.Equal(design, back);
        Assert.Empty(DesignComparer.Compare(design, back!));
    }

    [Fact]
    public void EnumsAreStoredByName()
    {
        var json = JsonSerializer.Serialize(Everything());

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("Code128", root.GetProperty("Barcode").GetString());
        Assert.Equal("Tier, Expiry", root.GetProperty("ShownFields").GetString());
        Assert.Equal("FixedText", root.GetProperty("CustomCells")[1].GetProperty("Source").GetString());
    }

    [Fact]
    public void NullCustomCellsInStoredJsonReadAsNoCells()
    {
        var design = JsonSerializer.Deserialize<DisplayDesign>("""{"BrandName":"山茶","Title":"会员卡","CustomCells":null}""");

        Assert.NotNull(design);
        Assert.Empty(design.CustomCells);
    }

    [Fact]
    public void DesignsWithEqualCellsInDifferentListsAreEqual()
    {
        var a = Designs.Compliant() with { CustomCells = [new CustomCell("会员", CellValueSource.MemberName)] };
        var b = Designs.Compliant() with { CustomCells = new List<CustomCell> { new("会员", CellValueSource.MemberName) } };

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { CustomCells = [new CustomCell("会员", CellValueSource.Tier)] });
    }
}
