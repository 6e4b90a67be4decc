using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class DesignEditorTests : MudBunitContext
{
    public DesignEditorTests() => RenderProviders();

    private static DesignForm ValidForm() => DesignForm.From("Coffee card", new DisplayDesign
    {
        BrandName = "Aroma",
        BackgroundColor = "#63B359",
        TextColor = "#111111",
        Title = "Aroma",
        Notice = "Show the code",
    });

    private IRenderedComponent<DesignEditor> RenderEditor(DesignForm form)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        return Render<DesignEditor>(p => p.Add(e => e.Form, form));
    }

    private static IElement Input(IRenderedComponent<DesignEditor> cut, string testId)
    {
        var element = cut.Find($"[data-testid={testId}]");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
    }

    [Fact]
    public void TypingATitleUpdatesThePreviewAtOnce()
    {
        var cut = RenderEditor(ValidForm());
        Assert.Equal("Aroma", cut.Find("[data-testid=preview-title]").TextContent);

        Input(cut, "field-title").Input("山茶会员卡");

        cut.WaitForAssertion(() => Assert.Equal("山茶会员卡", cut.Find("[data-testid=preview-title]").TextContent));
    }

    [Fact]
    public void ThePreviewShowsARealQrCodeOfTheSampleCardNumber()
    {
        var cut = RenderEditor(ValidForm());

        var code = cut.Find("[data-testid=preview-barcode]");

        Assert.Equal("880012345678", code.GetAttribute("data-value"));
        Assert.StartsWith("data:image/png;base64,", code.GetAttribute("src"));
        var png = Convert.FromBase64String(code.GetAttribute("src")!["data:image/png;base64,".Length..]);
        Assert.Equal("image/png", ImageInspector.Inspect(png).ContentType);
    }

    [Fact]
    public void AnInvalidColourShowsItsErrorUnderTheField()
    {
        var cut = RenderEditor(ValidForm());
        Assert.DoesNotContain("#RRGGBB, such as", cut.Markup);

        Input(cut, "field-text-color").Input("red");

        cut.WaitForAssertion(() =>
        {
            var field = cut.Find("[data-testid=field-text-color]").Closest(".mud-input-control")!;
            Assert.Contains("Text colour must be written as #RRGGBB, such as #1A2B3C.", field.TextContent);
        });
    }

    [Fact]
    public void ATitleLongerThanWeChatAllowsShowsItsWarning()
    {
        var cut = RenderEditor(ValidForm());
        Assert.Empty(cut.FindAll("[data-testid=platform-WeChatCard] [data-testid=platform-warning]"));

        Input(cut, "field-title").Input("一二三四五六七八九十");

        cut.WaitForAssertion(() =>
        {
            var warning = cut.Find("[data-testid=platform-WeChatCard] [data-testid=platform-warning]");
            Assert.Equal(nameof(DisplayDesign.Title), warning.GetAttribute("data-field"));
            Assert.Contains("at most 9 characters on a WeChat card; this one has 10", warning.TextContent);
        });
    }

    [Fact]
    public void LowContrastTextShowsTheContrastWarning()
    {
        var cut = RenderEditor(ValidForm());
        Assert.Empty(cut.FindAll("[data-testid=contrast-warning]"));

        Input(cut, "field-text-color").Input("#70C060");

        cut.WaitForAssertion(() => Assert.Contains("hard to read", cut.Find("[data-testid=contrast-warning]").TextContent));
    }

    [Fact]
    public void ChineseStaffSeeTheErrorInChinese()
    {
        var cut = RenderEditor(ValidForm());
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

        Input(cut, "field-brand").Input("");

        cut.WaitForAssertion(() => Assert.Contains("请填写品牌名称。", cut.Markup));
    }
}
