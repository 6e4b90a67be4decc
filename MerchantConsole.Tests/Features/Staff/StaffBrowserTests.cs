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
        await page.GetByTestId("nav-staff").ClickAsync();
        await page.WaitForURLAsync(app.BaseAddress + "/staff");
        await shell.WaitInteractiveAsync();

        await page.GetByTestId("invite-email").Locator("input").FillAsync(email);
        await page.GetByTestId("invite-name").Locator("input").FillAsync("新店长");
        await page.GetByTestId("invite-submit").ClickAsync();
        var linkField = page.GetByTestId("set-password-link").Locator("input");
        await Assertions.Expect(linkField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/account/set-password\\?token="));
        var link = await linkField.InputValueAsync();
        await Assertions.Expect(page.Locator("tr").Filter(new() { HasText = email }).GetByTestId("staff-status")).ToHaveTextAsync("已邀请");
        await Assertions.Expect(page.GetByTestId("staff-audit-row").First).ToContainTextAsync(email);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath("staff-invite.png"), FullPage = true });

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
}
