using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class ContrastTests
{
    [Fact]
    public void BlackOnWhiteIsTwentyOneToOne()
    {
        Assert.Equal(21, Contrast.ContrastRatio("#000000", "#FFFFFF"), 6);
        Assert.Equal(21, Contrast.ContrastRatio("#ffffff", "#000000"), 6);
    }

    [Fact]
    public void AColourOnItselfIsOneToOne() =>
        Assert.Equal(1, Contrast.ContrastRatio("#63B359", "#63b359"), 6);

    [Fact]
    public void MidGreyOnWhiteIsJustUnderTheTextMinimum() =>
        Assert.Equal(4.48, Contrast.ContrastRatio("#777777", "#FFFFFF"), 2);

    [Theory]
    [InlineData("#FF0000", 4.00)]
    [InlineData("#0000FF", 8.59)]
    [InlineData("#333333", 12.63)]
    [InlineData("#767676", 4.54)]
    [InlineData("#050505", 20.38)]
    public void RatiosOnWhiteMatchPublishedWcagValues(string colour, double expected) =>
        Assert.Equal(expected, Contrast.ContrastRatio(colour, "#FFFFFF"), 2);

    [Fact]
    public void LowContrastTextIsWarnedAbout()
    {
        var warning = Contrast.TextWarning(Designs.Compliant() with { TextColor = "#777777", BackgroundColor = "#FFFFFF" });

        Assert.NotNull(warning);
        Assert.Equal(4.48, warning.Ratio, 2);
        Assert.Equal(4.5, warning.Minimum);
        Assert.Contains("4.48:1", warning.Message);
    }

    [Fact]
    public void ReadableTextIsNotWarnedAbout()
    {
        Assert.Null(Contrast.TextWarning(Designs.Compliant() with { TextColor = "#000000", BackgroundColor = "#FFFFFF" }));
        Assert.Null(Contrast.TextWarning(Designs.Compliant() with { TextColor = "#767676", BackgroundColor = "#FFFFFF" }));
    }

    [Fact]
    public void InvalidColoursAreLeftToTheValidator() =>
        Assert.Null(Contrast.TextWarning(Designs.Compliant() with { TextColor = "grey" }));

    [Fact]
    public void ComputingWithAnInvalidColourIsRefused() =>
        Assert.Throws<DomainException>(() => Contrast.ContrastRatio("#12345", "#FFFFFF"));
}
