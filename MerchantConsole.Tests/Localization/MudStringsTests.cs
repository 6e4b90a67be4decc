using System.Globalization;
using Bunit;
using MerchantConsole.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace MerchantConsole.Tests.Localization;

/// <summary>MudBlazor's own strings follow the UI language, registered the way Program.cs does (localization, then MudBlazor).</summary>
public sealed class MudStringsTests : BunitContext
{
    public sealed record Row(string Name);

    public MudStringsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddConsoleLocalization();
        Services.AddMudServices();
    }

    [Fact]
    public void TheDataGridPagerSpeaksChineseUnderChinese()
    {
        var markup = RenderGridIn("zh-CN");

        Assert.Contains("每页行数", markup);
        Assert.DoesNotContain("Rows per page", markup);
    }

    [Fact]
    public void TheDataGridPagerKeepsMudBlazorsEnglishUnderEnglish()
    {
        Assert.Contains("Rows per page", RenderGridIn("en"));
    }

    [Fact]
    public void EveryMudBlazorStringWeTranslateHasAnEnglishEntryToo()
    {
        Assert.Equal(RefusalTextTests.Keys("MudStrings.resx"), RefusalTextTests.Keys("MudStrings.zh-CN.resx"));
    }

    private string RenderGridIn(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        RenderFragment pager = builder =>
        {
            builder.OpenComponent<MudDataGridPager<Row>>(0);
            builder.CloseComponent();
        };
        var cut = Render<MudDataGrid<Row>>(p => p
            .Add(x => x.Items, [new Row("Gold"), new Row("Silver")])
            .Add(x => x.PagerContent, pager));
        return cut.Markup;
    }
}
