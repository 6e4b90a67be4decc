using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class ReadmeRunBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheReadmeRunCommandServesStyledInteractivePagesUnderTheCspWithDemoDataAndProductionErrors()
    {
        await using var run = await ReadmeRun.StartAsync(TimeSpan.FromMinutes(4));
        using var http = new HttpClient { BaseAddress = new Uri(run.BaseAddress) };

        var mudCss = await http.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        var blazorJs = await http.GetAsync("/_framework/blazor.web.js");
        var missing = await http.GetAsync("/no-such-page");
        var missingHtml = await missing.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, mudCss.StatusCode);
        Assert.Equal(HttpStatusCode.OK, blazorJs.StatusCode);
        // Not Development: the host runs the Demo settings, so errors go to the friendly pages.
        Assert.Contains("Hosting environment: Demo", run.Output);
        Assert.Contains(DemoData.Password, run.Output);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("未找到", missingHtml);

        var page = await browser.NewPageAsync(run.BaseAddress);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        var login = new LoginPage(page);
        await login.OpenAsync();
        var styled = await page.EvaluateAsync<bool>(
            "() => [...document.styleSheets].some(s => (s.href || '').includes('MudBlazor') && s.cssRules.length > 100)");
        var blazorLoaded = await page.EvaluateAsync<bool>("() => typeof window.Blazor === 'object'");
        Assert.True(styled, "MudBlazor's stylesheet is not applied to the login page.");
        Assert.True(blazorLoaded, "blazor.web.js did not load on the login page.");

        await login.SignInAsync("admin@aroma.demo", DemoData.Password);
        await page.WaitForURLAsync(run.BaseAddress + "/");
        var shell = new Shell(page);
        await shell.WaitInteractiveAsync();
        await shell.SwitchLanguageAsync("en");
        await Assertions.Expect(page.GetByText("Staff accounts")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("readme-run-dashboard.png") });

        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
