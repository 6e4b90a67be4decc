using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Features.Support;

[Collection(AppCollection.Name)]
public sealed class SupportConsoleBrowserTests(AppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task SupportFindsAStuckRunRetriesItAndWatchesItFinish()
    {
        var planName = $"Stuck {Guid.NewGuid():N}"[..14];
        var (_, runId) = await StuckRunSeed.CreateAsync(app, planName, "store service timed out");
        var page = await browser.NewPageAsync(app.BaseAddress);
        var shell = new Shell(page);
        await new LoginPage(page).OpenAsync();
        await new LoginPage(page).SignInAsync("support@merchantconsole.demo", DemoData.Password);
        await page.WaitForURLAsync(app.BaseAddress + "/");

        await Assertions.Expect(page.GetByTestId("nav-support-runs")).ToBeVisibleAsync();
        // A fresh load, so waiting for the circuit means this page's circuit (clicks before it connects are lost).
        await page.GotoAsync("/support/runs");
        await shell.WaitInteractiveAsync();
        await Field(page, "support-runs-plan").FillAsync(planName);
        var row = page.Locator("tr").Filter(new() { HasText = planName });
        await Assertions.Expect(row.GetByTestId("support-run-status")).ToHaveTextAsync("已卡住"); // the same name the plan page uses (Terms)
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("support-runs.png"), FullPage = true });

        await row.GetByTestId("support-run-link").ClickAsync();
        await page.WaitForURLAsync($"{app.BaseAddress}/support/runs/{runId}");
        await shell.WaitInteractiveAsync();
        await Assertions.Expect(page.GetByText("store service timed out")).ToBeVisibleAsync();
        await page.GetByTestId("support-retry").ClickAsync();
        await Field(page, "support-action-reason").FillAsync("service is back");
        await page.GetByTestId("support-action-confirm").ClickAsync();

        // Retried, the run validates for real: its template version is not published, so it rolls back by itself.
        await Assertions.Expect(page.GetByTestId("support-run-status")).ToHaveTextAsync("已回滚", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("support-notes")).ToContainTextAsync("service is back");
        await Assertions.Expect(page.GetByTestId("support-plan-status")).ToHaveTextAsync("草稿");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("support-run.png"), FullPage = true });
    }

    // MudBlazor puts the test id on the input itself or on its wrapper, depending on the component.
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;
}
