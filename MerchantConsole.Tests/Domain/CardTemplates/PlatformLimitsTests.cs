using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class PlatformLimitsTests
{
    private static readonly ImageFacts GoodBackground = new(716, 320, 500_000);

    [Fact]
    public void ACompliantDesignHasNoWarningsOnAnyPlatform()
    {
        var design = Designs.Compliant() with { BackgroundImageId = Guid.NewGuid() };

        Assert.Empty(PlatformLimits.Check(design, GoodBackground, sampleTierName: "Gold"));
    }

    [Fact]
    public void AWeChatTitleOfNineChineseCharactersPassesAndTenIsWarned()
    {
        Assert.Empty(PlatformLimits.WeChatCard(Designs.Compliant() with { Title = Designs.Repeat("金", 9) }));

        var warning = Assert.Single(PlatformLimits.WeChatCard(Designs.Compliant() with { Title = Designs.Repeat("金", 10) }));

        Assert.Equal(WalletPlatform.WeChatCard, warning.Platform);
        Assert.Equal(nameof(DisplayDesign.Title), warning.Field);
        Assert.Equal("9 characters", warning.Limit);
        Assert.Equal("10 characters", warning.Actual);
        Assert.Contains("at most 9", warning.Message);
    }

    [Fact]
    public void AWeChatBrandNameOverTwelveCharactersIsWarned()
    {
        Assert.Empty(PlatformLimits.WeChatCard(Designs.Compliant() with { BrandName = Designs.Repeat("品", 12) }));

        var warning = Assert.Single(PlatformLimits.WeChatCard(Designs.Compliant() with { BrandName = Designs.Repeat("品", 13) }));

        Assert.Equal(nameof(DisplayDesign.BrandName), warning.Field);
        Assert.Equal("12 characters", warning.Limit);
        Assert.Equal("13 characters", warning.Actual);
    }

    [Fact]
    public void AWeChatNoticeOverSixteenCharactersIsWarned()
    {
        Assert.Empty(PlatformLimits.WeChatCard(Designs.Compliant() with { Notice = Designs.Repeat("须", 16) }));

        var warning = Assert.Single(PlatformLimits.WeChatCard(Designs.Compliant() with { Notice = Designs.Repeat("须", 17) }));

        Assert.Equal(nameof(DisplayDesign.Notice), warning.Field);
        Assert.Equal("17 characters", warning.Actual);
    }

    [Theory]
    [InlineData("#64B45A", "Color010", "#63b359")]
    [InlineData("#CC463E", "Color100", "#cc463d")]
    [InlineData("#F08600", "Color081", "#f08500")]
    [InlineData("#000000", "Color020", "#2c9f67")]
    public void ABackgroundOutsideTheWeChatPaletteIsWarnedWithTheNearestPaletteColour(string colour, string nearest, string nearestHex)
    {
        var warning = Assert.Single(PlatformLimits.WeChatCard(Designs.Compliant() with { BackgroundColor = colour, TextColor = "#FFFFFF" }));

        Assert.Equal(nameof(DisplayDesign.BackgroundColor), warning.Field);
        Assert.Equal(colour, warning.Actual);
        Assert.Equal("Color010–Color100", warning.Limit);
        Assert.Contains($"nearest is {nearest} ({nearestHex})", warning.Message);
    }

    [Fact]
    public void EveryPaletteColourInEitherCaseIsAccepted()
    {
        foreach (var (_, hex) in PlatformLimits.WeChatPalette)
        {
            Assert.Empty(PlatformLimits.WeChatCard(Designs.Compliant() with { BackgroundColor = hex }));
            Assert.Empty(PlatformLimits.WeChatCard(Designs.Compliant() with { BackgroundColor = hex.ToUpperInvariant() }));
        }
        Assert.Equal(12, PlatformLimits.WeChatPalette.Count);
    }

    [Fact]
    public void AWeChatPayCardTitleOverTenCharactersIsWarned()
    {
        Assert.Empty(PlatformLimits.WeChatPayMemberCard(Designs.Compliant() with { Title = Designs.Repeat("金", 10) }, null));

        var warning = Assert.Single(PlatformLimits.WeChatPayMemberCard(Designs.Compliant() with { Title = Designs.Repeat("金", 11) }, null));

        Assert.Equal(WalletPlatform.WeChatPayMemberCard, warning.Platform);
        Assert.Equal(nameof(DisplayDesign.Title), warning.Field);
        Assert.Equal("10 characters", warning.Limit);
    }

    [Fact]
    public void AWeChatPayBackgroundOfTheWrongSizeIsWarned()
    {
        var design = Designs.Compliant() with { BackgroundImageId = Guid.NewGuid() };

        var warning = Assert.Single(PlatformLimits.WeChatPayMemberCard(design, new ImageFacts(1000, 320, 500_000)));

        Assert.Equal(nameof(DisplayDesign.BackgroundImageId), warning.Field);
        Assert.Equal("716×320 px", warning.Limit);
        Assert.Equal("1000×320 px", warning.Actual);
    }

    [Fact]
    public void AWeChatPayBackgroundOfOneMegabyteOrMoreIsWarned()
    {
        var design = Designs.Compliant() with { BackgroundImageId = Guid.NewGuid() };
        Assert.Empty(PlatformLimits.WeChatPayMemberCard(design, new ImageFacts(716, 320, 1024 * 1024 - 1)));

        var warning = Assert.Single(PlatformLimits.WeChatPayMemberCard(design, new ImageFacts(716, 320, 1024 * 1024)));

        Assert.Equal("under 1 MB", warning.Limit);
        Assert.Equal("1 MB", warning.Actual);
    }

    [Fact]
    public void AWeChatPayBackgroundBreakingBothRulesGetsOneWarningForEach()
    {
        var design = Designs.Compliant() with { BackgroundImageId = Guid.NewGuid() };

        var warnings = PlatformLimits.WeChatPayMemberCard(design, new ImageFacts(800, 400, 2_000_000));

        Assert.Equal(["716×320 px", "under 1 MB"], warnings.Select(w => w.Limit));
    }

    [Fact]
    public void ImageFactsAreIgnoredWhenTheDesignUsesNoBackgroundImage() =>
        Assert.Empty(PlatformLimits.WeChatPayMemberCard(Designs.Compliant(), new ImageFacts(1, 1, 5_000_000)));

    [Fact]
    public void AppleWithAQrCodeWarnsAboutMoreThanFourFieldsBesidesTheCardNumber()
    {
        var design = Designs.Compliant() with { ShownFields = ShownFields.All }; // 4 fields + 1 custom cell

        var warning = Assert.Single(PlatformLimits.AppleWallet(design));

        Assert.Equal(WalletPlatform.AppleWallet, warning.Platform);
        Assert.Equal("4 fields", warning.Limit);
        Assert.Equal("5 fields", warning.Actual);
    }

    [Fact]
    public void AppleDoesNotCountTheCardNumber()
    {
        var cell = new CustomCell("会员", CellValueSource.MemberName);
        var design = Designs.Compliant() with { ShownFields = ShownFields.All, CustomCells = [] };

        Assert.Empty(PlatformLimits.AppleWallet(design));
        Assert.Single(PlatformLimits.AppleWallet(design with { ShownFields = ShownFields.All & ~ShownFields.CardNumber, CustomCells = [cell] }));
    }

    [Theory]
    [InlineData(BarcodeKind.Code128)]
    [InlineData(BarcodeKind.None)]
    public void AppleLimitsFieldsOnlyForASquareBarcode(BarcodeKind barcode) =>
        Assert.Empty(PlatformLimits.AppleWallet(Designs.Compliant() with { ShownFields = ShownFields.All, Barcode = barcode }));

    [Fact]
    public void AGoogleTierNameOverSevenCharactersIsWarned()
    {
        Assert.Empty(PlatformLimits.GoogleWallet("Diamond"));
        Assert.Empty(PlatformLimits.GoogleWallet(null));

        var warning = Assert.Single(PlatformLimits.GoogleWallet("Platinum"));

        Assert.Equal(WalletPlatform.GoogleWallet, warning.Platform);
        Assert.Equal("TierName", warning.Field);
        Assert.Equal("7 characters", warning.Limit);
        Assert.Equal("8 characters", warning.Actual);
    }

    [Fact]
    public void CheckReportsOneWarningPerBreachAcrossPlatforms()
    {
        var design = Designs.Compliant() with
        {
            Title = Designs.Repeat("金", 11),          // WeChat card and WeChat Pay
            BackgroundColor = "#FFFFFF",                 // WeChat palette
            ShownFields = ShownFields.All,               // Apple
            BackgroundImageId = Guid.NewGuid(),
        };

        var warnings = PlatformLimits.Check(design, new ImageFacts(716, 320, 2_000_000), "钻石至尊黑金会员");

        Assert.Equal(
            [
                (WalletPlatform.WeChatCard, nameof(DisplayDesign.Title)),
                (WalletPlatform.WeChatCard, nameof(DisplayDesign.BackgroundColor)),
                (WalletPlatform.WeChatPayMemberCard, nameof(DisplayDesign.Title)),
                (WalletPlatform.WeChatPayMemberCard, nameof(DisplayDesign.BackgroundImageId)),
                (WalletPlatform.AppleWallet, nameof(DisplayDesign.ShownFields)),
                (WalletPlatform.GoogleWallet, "TierName"),
            ],
            warnings.Select(w => (w.Platform, w.Field)));
    }
}
