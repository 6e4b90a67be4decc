using System.Globalization;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Features.CardTemplates;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class UploadRefusalTextTests
{
    private static string InCulture(string culture, Func<IStringLocalizer<CardTemplateStrings>, string> text)
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return text(new StringLocalizer<CardTemplateStrings>(factory));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Fact]
    public void AFullQuotaSaysHowFullTheStoreIs()
    {
        var result = new UploadResult(ImageRefusal.QuotaExceeded, QuotaBytes: 50L * 1024 * 1024, UsedBytes: 49L * 1024 * 1024 + 512 * 1024);

        var english = InCulture("en", t => DesignText.Refusal(t, result));
        var chinese = InCulture("zh-CN", t => DesignText.Refusal(t, result));

        Assert.Equal("This merchant's images already take 49.5 MB of the 50 MB allowed; nothing was stored. " +
            "Images no card template uses are removed after a day.", english);
        Assert.Contains("49.5 MB", chinese);
        Assert.Contains("50 MB", chinese);
    }

    [Theory]
    [InlineData(ImageRefusal.Truncated, "The file ends before the image does")]
    [InlineData(ImageRefusal.TrailingData, "extra data after the end of the image")]
    [InlineData(ImageRefusal.Damaged, "damaged and cannot be read")]
    [InlineData(ImageRefusal.TooManyPixels, "larger than 16 megapixels")]
    public void EveryNewRefusalHasItsOwnWords(ImageRefusal refusal, string words) =>
        Assert.Contains(words, InCulture("en", t => DesignText.Refusal(t, refusal)));

    [Fact]
    public void TextRefusalsNameTheFieldInTheStaffsLanguage()
    {
        var stored = new DesignError("BrandName", "") { Kind = DesignErrorKind.TooLongToStore, Max = 144, Actual = 150 };
        var marks = new DesignError("Title", "") { Kind = DesignErrorKind.TooManyMarks, Max = 3, Actual = 20 };

        Assert.StartsWith("品牌", InCulture("zh-CN", t => DesignText.Error(t, stored)));
        Assert.Contains("stacks 20 accents or marks on one character; at most 3", InCulture("en", t => DesignText.Error(t, marks)));
    }
}
