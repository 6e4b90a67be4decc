using Microsoft.Playwright;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>Page objects for the shell; feature tests add their own beside them.</summary>
public sealed class LoginPage(IPage page)
{
    public async Task OpenAsync() => await page.GotoAsync("/Account/Login");

    public async Task SignInAsync(string email, string password)
    {
        await page.Locator("input[type=email]").FillAsync(email);
        await page.Locator("input[type=password]").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
    }

    public ILocator Error => page.GetByTestId("login-error");
}

public sealed class Shell(IPage page)
{
    /// <summary>Waits for the circuit: clicks on prerendered HTML before it connects are lost.</summary>
    public async Task WaitInteractiveAsync()
    {
        try
        {
            await page.Locator("[data-interactive=true]").WaitForAsync();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The page never became interactive. URL {page.Url}; body: {await page.InnerTextAsync("body")}; browser console: {string.Join(" | ", BrowserFixture.ConsoleErrors)}", ex);
        }
    }

    public ILocator MerchantName => page.GetByTestId("merchant-name");

    public async Task SwitchLanguageAsync(string culture)
    {
        await WaitInteractiveAsync();
        await page.GetByTestId("language-menu").Locator("button").First.ClickAsync();
        await page.GetByTestId($"lang-{culture}").ClickAsync();
        // The link goes out through /culture/set and back: wait for a page in the new language (the URL alone matched the
        // old page before the navigation started, and the next step's click then met an aborted load).
        await page.Locator($"html[lang='{culture}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForURLAsync(url => !url.Contains("/culture/"));
        await WaitInteractiveAsync();
    }

    public async Task SignOutAsync()
    {
        await WaitInteractiveAsync();
        await page.GetByTestId("user-menu").Locator("button").First.ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/Account/Login**");
    }
}
