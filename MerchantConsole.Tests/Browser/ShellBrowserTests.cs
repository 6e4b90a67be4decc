using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class ShellBrowserTests(AppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task AnAdminSignsInSeesTheMerchantSwitchesLanguageAndSignsOut()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);
        var login = new LoginPage(page);
        var shell = new Shell(page);

        await login.OpenAsync();
        await login.SignInAsync("admin@aroma.demo", DemoData.Password);
        await page.WaitForURLAsync(app.BaseAddress + "/");
        await shell.WaitInteractiveAsync();
        Assert.Equal("Aroma Coffee 香醇咖啡", (await shell.MerchantName.InnerTextAsync()).Trim());
        Assert.Contains("员工账号", await page.ContentAsync());

        await shell.SwitchLanguageAsync("en");
        await Assertions.Expect(page.GetByText("Staff accounts")).ToBeVisibleAsync();
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));

        await shell.SwitchLanguageAsync("zh-CN");
        await Assertions.Expect(page.GetByText("员工账号")).ToBeVisibleAsync();

        await page.GetByTestId("dark-toggle").ClickAsync();
        // The label flips once the click's handler, which writes the cookie, has finished.
        await Assertions.Expect(page.GetByTestId("dark-toggle")).ToHaveAttributeAsync("aria-label", "浅色模式");
        var theme = (await page.Context.CookiesAsync()).SingleOrDefault(c => c.Name == "mc-theme");
        Assert.Equal("dark", theme?.Value);
        await page.ReloadAsync();
        await shell.WaitInteractiveAsync();
        // The remembered theme survives the reload: the toggle now offers light mode.
        await Assertions.Expect(page.GetByTestId("dark-toggle")).ToHaveAttributeAsync("aria-label", "浅色模式");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("dashboard.png") });
        await shell.SignOutAsync();
        await Assertions.Expect(page.Locator("input[type=password]")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Account/Login**");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccount()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);
        var login = new LoginPage(page);
        await login.OpenAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await login.SignInAsync("store@orchard.demo", "wrong-password-" + attempt);
            await Assertions.Expect(login.Error).ToBeVisibleAsync();
        }
        // Even the right password is refused now, with the lockout message.
        await login.SignInAsync("store@orchard.demo", DemoData.Password);

        await Assertions.Expect(login.Error).ToContainTextAsync("锁定");
        Assert.Contains("/Account/Login", page.Url);
        await page.Context.CloseAsync();
    }
}
