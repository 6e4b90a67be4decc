using MerchantConsole.Data;
using MerchantConsole.Tests.Features.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Browser;

/// <summary>The designer page as a merchant admin uses it.</summary>
public sealed class CardTemplateDesignerPage(IPage page)
{
    public ILocator Field(string testId) => page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    public ILocator VersionRows => page.GetByTestId("version-row");

    public async Task UploadLogoAsync(string path) =>
        await page.Locator("[data-testid=logo-upload] input[type=file]").SetInputFilesAsync(path);

    public async Task PublishAsync()
    {
        await page.GetByTestId("publish").ClickAsync();
        // The confirmation dialog: its last action is the confirming one.
        await page.Locator(".mud-dialog .mud-dialog-actions button").Last.ClickAsync();
    }

    public async Task SaveDraftAsync() => await page.GetByTestId("save-draft").ClickAsync();
}

[Collection(AppCollection.Name)]
public sealed class CardTemplateBrowserTests(AppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task AnAdminCreatesATemplateWithALogoPublishesItAndEditsItIntoVersionTwo()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);
        var shell = new Shell(page);
        var designer = new CardTemplateDesignerPage(page);
        var logo = Path.Combine(Path.GetTempPath(), $"logo-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(logo, TestImages.Png(64, 64, 0xC0, 0x40, 0x20));
        var name = $"浏览器测试卡 {Guid.NewGuid().ToString("N")[..6]}";
        try
        {
            await new LoginPage(page).OpenAsync();
            await new LoginPage(page).SignInAsync("admin@aroma.demo", DemoData.Password);
            await page.WaitForURLAsync(app.BaseAddress + "/");
            await page.GotoAsync("/card-templates/new");
            await shell.WaitInteractiveAsync();

            await designer.Field("field-name").FillAsync(name);
            await designer.Field("field-brand").FillAsync("香醇咖啡");
            await designer.Field("field-title").FillAsync("香醇会员卡");
            await Assertions.Expect(page.GetByTestId("preview-title")).ToHaveTextAsync("香醇会员卡");
            await designer.UploadLogoAsync(logo);
            await Assertions.Expect(page.GetByTestId("preview-logo")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("preview-barcode")).ToHaveAttributeAsync("data-value", "880012345678");

            await designer.PublishAsync();
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/card-templates/[0-9a-f-]{36}$"));
            await Assertions.Expect(designer.VersionRows).ToHaveCountAsync(1);
            await Assertions.Expect(designer.VersionRows.First).ToHaveAttributeAsync("data-version", "1");

            await designer.Field("field-title").FillAsync("香醇会员卡二代");
            await designer.SaveDraftAsync();
            await Assertions.Expect(designer.VersionRows).ToHaveCountAsync(2);
            await Assertions.Expect(designer.VersionRows.Nth(0)).ToHaveAttributeAsync("data-version", "2");
            await Assertions.Expect(designer.VersionRows.Nth(1)).ToHaveAttributeAsync("data-version", "1");
            await Assertions.Expect(page.Locator("[data-testid=compare-row][data-field=Title]")).ToContainTextAsync("香醇会员卡二代");
            // Created, published, edited: one row per save (the template and its version together), newest first, in words.
            await Assertions.Expect(page.GetByTestId("audit-row").First).ToContainTextAsync("新增版本“2”");
            Assert.InRange(await page.GetByTestId("audit-row").CountAsync(), 2, 3);

            await page.GetByTestId("card-preview").ScreenshotAsync(new LocatorScreenshotOptions { Path = BrowserFixture.ArtifactPath("card-template-preview.png") });
            Assert.True(new FileInfo(BrowserFixture.ArtifactPath("card-template-preview.png")).Length > 1000);

            await page.GotoAsync("/card-templates");
            await shell.WaitInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("card-template-link").First).ToBeVisibleAsync();
            await page.Locator("[data-testid=card-template-search] input, input[data-testid=card-template-search]").First.FillAsync(name);
            // The search narrows the server-paged grid to the one template.
            await Assertions.Expect(page.GetByTestId("card-template-link")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("card-template-link")).ToHaveTextAsync(name);
        }
        finally
        {
            // An open page keeps its circuit alive and would hold up the app's shutdown.
            await page.Context.CloseAsync();
            File.Delete(logo);
        }
    }
}
