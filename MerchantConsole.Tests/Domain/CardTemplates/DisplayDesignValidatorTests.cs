using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class DisplayDesignValidatorTests
{
    private static DisplayDesign WithText(string field, string? value) => field switch
    {
        nameof(DisplayDesign.BrandName) => Designs.Compliant() with { BrandName = value! },
        nameof(DisplayDesign.Title) => Designs.Compliant() with { Title = value! },
        nameof(DisplayDesign.Subtitle) => Designs.Compliant() with { Subtitle = value },
        nameof(DisplayDesign.Notice) => Designs.Compliant() with { Notice = value },
        nameof(DisplayDesign.Description) => Designs.Compliant() with { Description = value },
        nameof(DisplayDesign.BackgroundColor) => Designs.Compliant() with { BackgroundColor = value! },
        nameof(DisplayDesign.TextColor) => Designs.Compliant() with { TextColor = value! },
        nameof(DisplayDesign.ServicePhone) => Designs.Compliant() with { ServicePhone = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static DesignError SingleError(DisplayDesign design) => Assert.Single(DisplayDesignValidator.Validate(design));

    [Fact]
    public void ACompliantDesignHasNoErrors() =>
        Assert.Empty(DisplayDesignValidator.Validate(Designs.Compliant()));

    [Theory]
    [InlineData(nameof(DisplayDesign.BrandName), "")]
    [InlineData(nameof(DisplayDesign.BrandName), "   ")]
    [InlineData(nameof(DisplayDesign.BrandName), null)]
    [InlineData(nameof(DisplayDesign.Title), "")]
    [InlineData(nameof(DisplayDesign.Title), "  ")]
    [InlineData(nameof(DisplayDesign.BackgroundColor), "")]
    [InlineData(nameof(DisplayDesign.TextColor), "")]
    public void ARequiredFieldLeftBlankIsReportedOnThatField(string field, string? value)
    {
        var error = SingleError(WithText(field, value));

        Assert.Equal(field, error.FieldName);
        Assert.Contains("required", error.Message);
    }

    [Theory]
    [InlineData(nameof(DisplayDesign.Subtitle))]
    [InlineData(nameof(DisplayDesign.Notice))]
    [InlineData(nameof(DisplayDesign.Description))]
    [InlineData(nameof(DisplayDesign.ServicePhone))]
    public void OptionalFieldsMayBeEmpty(string field)
    {
        Assert.Empty(DisplayDesignValidator.Validate(WithText(field, null)));
        Assert.Empty(DisplayDesignValidator.Validate(WithText(field, "")));
    }

    [Theory]
    [InlineData(nameof(DisplayDesign.BrandName), 36)]
    [InlineData(nameof(DisplayDesign.Title), 36)]
    [InlineData(nameof(DisplayDesign.Subtitle), 60)]
    [InlineData(nameof(DisplayDesign.Notice), 200)]
    [InlineData(nameof(DisplayDesign.Description), 1000)]
    public void TextUpToItsLimitIsAcceptedAndOneMoreCharacterIsRefused(string field, int max)
    {
        // Chinese characters count one each, however they are encoded.
        Assert.Empty(DisplayDesignValidator.Validate(WithText(field, Designs.Repeat("卡", max))));

        var error = SingleError(WithText(field, Designs.Repeat("卡", max + 1)));

        Assert.Equal(field, error.FieldName);
        Assert.Contains($"at most {max} characters (now {max + 1})", error.Message);
    }

    [Fact]
    public void AnEmojiCountsAsOneCharacter() =>
        Assert.Empty(DisplayDesignValidator.Validate(Designs.Compliant() with { BrandName = Designs.Repeat("☕️", 36) }));

    [Theory]
    [InlineData("#12345")]
    [InlineData("123456")]
    [InlineData("#GGGGGG")]
    [InlineData("#1234567")]
    [InlineData("red")]
    [InlineData("#12 456")]
    public void AColourNotWrittenAsHashAndSixHexDigitsIsRefused(string colour)
    {
        foreach (var field in new[] { nameof(DisplayDesign.BackgroundColor), nameof(DisplayDesign.TextColor) })
        {
            var error = SingleError(WithText(field, colour));
            Assert.Equal(field, error.FieldName);
            Assert.Contains("#RRGGBB", error.Message);
        }
    }

    [Theory]
    [InlineData("#abcdef")]
    [InlineData("#ABCDEF")]
    [InlineData("#000000")]
    public void HexColoursInEitherCaseAreAccepted(string colour) =>
        Assert.Empty(DisplayDesignValidator.Validate(Designs.Compliant() with { BackgroundColor = colour }));

    [Theory]
    [InlineData("400-820-8820")]
    [InlineData("+86 21 1234 5678")]
    [InlineData("(021) 1234-5678")]
    [InlineData("95588")]
    [InlineData("12345678901234567890")]
    public void PhoneNumbersOfDigitsSpacesPlusDashesAndParenthesesAreAccepted(string phone) =>
        Assert.Empty(DisplayDesignValidator.Validate(Designs.Compliant() with { ServicePhone = phone }));

    [Theory]
    [InlineData("1234")]
    [InlineData("123456789012345678901")]
    [InlineData("400-820-8820 ext 1")]
    [InlineData("客服 4008208820")]
    [InlineData("(---)")]
    public void OtherPhoneNumbersAreRefused(string phone)
    {
        var error = SingleError(Designs.Compliant() with { ServicePhone = phone });

        Assert.Equal(nameof(DisplayDesign.ServicePhone), error.FieldName);
    }

    [Fact]
    public void AnEmptyImageReferenceIsRefused()
    {
        var errors = DisplayDesignValidator.Validate(Designs.Compliant() with { LogoImageId = Guid.Empty, BackgroundImageId = Guid.Empty });

        Assert.Equal([nameof(DisplayDesign.LogoImageId), nameof(DisplayDesign.BackgroundImageId)], errors.Select(e => e.FieldName));
    }

    [Fact]
    public void UnknownBarcodeAndShownFieldValuesAreRefused()
    {
        var errors = DisplayDesignValidator.Validate(Designs.Compliant() with { Barcode = (BarcodeKind)9, ShownFields = (ShownFields)64 });

        Assert.Equal([nameof(DisplayDesign.Barcode), nameof(DisplayDesign.ShownFields)], errors.Select(e => e.FieldName));
    }

    [Fact]
    public void ThreeCustomCellsAreAllowedButNotFour()
    {
        var cell = new CustomCell("积分", CellValueSource.Points);
        Assert.Empty(DisplayDesignValidator.Validate(Designs.Compliant() with { CustomCells = [cell, cell, cell] }));

        var error = SingleError(Designs.Compliant() with { CustomCells = [cell, cell, cell, cell] });

        Assert.Equal(nameof(DisplayDesign.CustomCells), error.FieldName);
        Assert.Contains("at most 3", error.Message);
    }

    [Fact]
    public void ACustomCellNeedsALabelOfAtMostTwelveCharacters()
    {
        var ok = new CustomCell(Designs.Repeat("标", 12), CellValueSource.Tier);
        var blank = new CustomCell(" ", CellValueSource.Tier);
        var tooLong = new CustomCell(Designs.Repeat("标", 13), CellValueSource.Tier);

        var errors = DisplayDesignValidator.Validate(Designs.Compliant() with { CustomCells = [ok, blank, tooLong] });

        Assert.Equal(["CustomCells[1].Label", "CustomCells[2].Label"], errors.Select(e => e.FieldName));
        Assert.Contains("required", errors[0].Message);
        Assert.Contains("at most 12", errors[1].Message);
    }

    [Fact]
    public void AFixedTextCellNeedsTextOfAtMostFortyCharacters()
    {
        var ok = new CustomCell("门店", CellValueSource.FixedText, Designs.Repeat("字", 40));
        var missing = new CustomCell("门店", CellValueSource.FixedText);
        var tooLong = new CustomCell("门店", CellValueSource.FixedText, Designs.Repeat("字", 41));

        var errors = DisplayDesignValidator.Validate(Designs.Compliant() with { CustomCells = [ok, missing, tooLong] });

        Assert.Equal(["CustomCells[1].FixedText", "CustomCells[2].FixedText"], errors.Select(e => e.FieldName));
    }

    [Fact]
    public void ACustomCellWithAnUnknownSourceIsRefused()
    {
        var error = SingleError(Designs.Compliant() with { CustomCells = [new CustomCell("x", (CellValueSource)99)] });

        Assert.Equal("CustomCells[0].Source", error.FieldName);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("  ", "required")]
    public void ATemplateNameIsRequired(string name, string expected)
    {
        var error = Assert.Single(DisplayDesignValidator.ValidateName(name));

        Assert.Equal(nameof(CardTemplate.Name), error.FieldName);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ATemplateNameIsAtMostFiftyCharacters()
    {
        Assert.Empty(DisplayDesignValidator.ValidateName(Designs.Repeat("名", 50)));
        Assert.Single(DisplayDesignValidator.ValidateName(Designs.Repeat("名", 51)));
    }

    [Fact]
    public void EnsureValidThrowsWithEveryMessage()
    {
        var design = Designs.Compliant() with { BrandName = "", TextColor = "black" };

        var refusal = Assert.Throws<DomainException>(() => DisplayDesignValidator.EnsureValid(design));

        Assert.Contains("Brand name is required.", refusal.Message);
        Assert.Contains("Text colour must be written as #RRGGBB", refusal.Message);
    }
}
