using System.Reflection;
using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class DesignComparerTests
{
    [Fact]
    public void EqualDesignsHaveNoDifferences() =>
        Assert.Empty(DesignComparer.Compare(Designs.Compliant(), Designs.Compliant()));

    [Fact]
    public void OnlyTheChangedFieldsAreListedWithTheirOldAndNewText()
    {
        var before = Designs.Compliant();
        var after = before with { TextColor = "#000000", Notice = null, Barcode = BarcodeKind.Code128 };

        var differences = DesignComparer.Compare(before, after);

        Assert.Equal(
            [
                new DesignDifference(nameof(DisplayDesign.TextColor), "#111111", "#000000"),
                new DesignDifference(nameof(DisplayDesign.Notice), "出示会员码即可积分", null),
                new DesignDifference(nameof(DisplayDesign.Barcode), "QrCode", "Code128"),
            ],
            differences);
    }

    [Fact]
    public void ShownFieldsAreComparedAsTheListOfFields()
    {
        var before = Designs.Compliant() with { ShownFields = ShownFields.CardNumber };
        var after = before with { ShownFields = ShownFields.CardNumber | ShownFields.Expiry };

        var difference = Assert.Single(DesignComparer.Compare(before, after));

        Assert.Equal(new DesignDifference(nameof(DisplayDesign.ShownFields), "CardNumber", "CardNumber, Expiry"), difference);
    }

    [Fact]
    public void EmptyAndMissingTextAreTheSame() =>
        Assert.Empty(DesignComparer.Compare(Designs.Compliant() with { Subtitle = null }, Designs.Compliant() with { Subtitle = "" }));

    [Fact]
    public void CustomCellsAreComparedPositionByPosition()
    {
        var before = Designs.Compliant() with
        {
            CustomCells = [new CustomCell("会员", CellValueSource.MemberName), new CustomCell("门店", CellValueSource.FixedText, "静安店")],
        };
        var after = before with
        {
            CustomCells =
            [
                new CustomCell("会员", CellValueSource.MemberName),
                new CustomCell("门店", CellValueSource.FixedText, "徐汇店"),
                new CustomCell("积分", CellValueSource.Points),
            ],
        };

        var differences = DesignComparer.Compare(before, after);

        Assert.Equal(
            [
                new DesignDifference("CustomCells[1]", "门店: \"静安店\"", "门店: \"徐汇店\""),
                new DesignDifference("CustomCells[2]", null, "积分: Points"),
            ],
            differences);
    }

    // Guards the hand-written equality and the comparer: a property added to the design later must be
    // compared by both, or a change to it would be invisible in the history.
    [Fact]
    public void EveryDesignPropertyTakesPartInEqualityAndComparison()
    {
        var properties = typeof(DisplayDesign).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToList();
        Assert.Equal(13, properties.Count);

        foreach (var property in properties)
        {
            var original = Designs.Compliant();
            var changed = original with { };
            property.SetValue(changed, OtherValue(property, property.GetValue(original)));

            Assert.False(original.Equals(changed), $"{property.Name} is not part of Equals.");
            Assert.Contains(DesignComparer.Compare(original, changed), d => d.Field.StartsWith(property.Name, StringComparison.Ordinal));
        }
    }

    private static object OtherValue(PropertyInfo property, object? current) => property.PropertyType switch
    {
        var t when t == typeof(string) => current + "变",
        var t when t == typeof(Guid?) => Guid.NewGuid(),
        var t when t == typeof(BarcodeKind) => BarcodeKind.None,
        var t when t == typeof(ShownFields) => ShownFields.All,
        var t when t == typeof(IReadOnlyList<CustomCell>) => new List<CustomCell>(),
        _ => throw new InvalidOperationException($"Teach this test a different value for {property.PropertyType}."),
    };
}
