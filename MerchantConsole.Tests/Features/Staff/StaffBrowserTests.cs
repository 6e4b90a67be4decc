using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Features.Staff;

[Collection(AppCollection.Name)]
public sealed class StaffBrowserTests(AppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task AnAdminInvitesAStoreManagerWhoSetsAPasswordAndSignsIn()
    {
        var email = $"invitee-{Guid.NewGuid():N}"[..16] + "@aroma.demo";
        var page = await browser.NewPageAsync(app.BaseAddress);
        var shell = new Shell(page);
        await new LoginPage(page).OpenAsync();
        await new LoginPage(page).SignInAsync("admin@aroma.demo", DemoData.Password);
        await page.WaitForURLAsync(app.BaseAddress + "/");
        await Assertions.Expect(page.GetByTestId("nav-staff")).ToBeVisibleAsync();
        // A fresh load, so waiting for the circuit means this page's circuit (clicks before it connects are lost).
        await page.GotoAsync("/staff");
        await shell.WaitInteractiveAsync();
        try
        {
            await Field(page, "invite-email").WaitForAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No invite form. Body: {await page.InnerTextAsync("body")}; console: {string.Join(" | ", BrowserFixture.ConsoleErrors)}", ex);
        }

        await Field(page, "invite-email").FillAsync(email);
        await Field(page, "invite-name").FillAsync("新店长");
        await page.GetByTestId("invite-submit").ClickAsync();
        var linkField = Field(page, "set-password-link");
        await Assertions.Expect(linkField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/account/set-password\\?token="));
        var shown = new Uri(await linkField.InputValueAsync());
        // The link is built from the configured public address; the test's server listens elsewhere.
        Assert.Equal(new Uri(AppFixture.PublicBaseUrl).Authority, shown.Authority);
        var link = app.BaseAddress + shown.PathAndQuery;
        await Assertions.Expect(page.Locator("tr").Filter(new() { HasText = email }).GetByTestId("staff-status")).ToHaveTextAsync("已邀请");
        await Assertions.Expect(page.GetByTestId("staff-audit-row").First).ToContainTextAsync(email);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("staff-invite.png"), FullPage = true });
        // The settings page within the same circuit shows the same trail.
        await page.GetByTestId("nav-settings").ClickAsync();
        await Assertions.Expect(page.GetByTestId("settings-title")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("staff-audit-row").First).ToContainTextAsync(email);

        var invitee = await browser.NewPageAsync(app.BaseAddress);
        await invitee.GotoAsync(link);
        await invitee.GetByTestId("set-password-password").FillAsync("Invitee#2026pass");
        await invitee.GetByTestId("set-password-confirm").FillAsync("Invitee#2026pass");
        await invitee.GetByTestId("set-password-submit").ClickAsync();
        await Assertions.Expect(invitee.GetByTestId("set-password-done")).ToContainTextAsync(email);
        await invitee.GetByTestId("set-password-sign-in").ClickAsync();
        await new LoginPage(invitee).SignInAsync(email, "Invitee#2026pass");
        await invitee.WaitForURLAsync(app.BaseAddress + "/");
        await Assertions.Expect(invitee.GetByTestId("nav-card-previews")).ToBeVisibleAsync();
        await Assertions.Expect(invitee.GetByTestId("nav-staff")).ToHaveCountAsync(0);

        // The link is spent: opening it again says so.
        await invitee.GotoAsync(link);
        await Assertions.Expect(invitee.GetByTestId("set-password-refused")).ToBeVisibleAsync();
    }

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}
