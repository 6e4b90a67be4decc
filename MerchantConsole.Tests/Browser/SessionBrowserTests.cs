using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Browser;

/// <summary>Open tabs follow the session (the fixture revalidates every 2 seconds) and survive big input.</summary>
[Collection(AppCollection.Name)]
public sealed class SessionBrowserTests(AppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task AnOpenTabLandsOnTheLoginPageWhenItsUserIsSignedOutElsewhere()
    {
        var email = await app.Factory.CreateStaffAsync();
        var page = await browser.NewPageAsync(app.BaseAddress);
        try
        {
            await SignInAsync(page, email);
            await new Shell(page).WaitInteractiveAsync();

            using var elsewhere = app.NewClient();
            Assert.Equal(HttpStatusCode.Redirect, (await app.PostLoginAsync(elsewhere, email, DemoData.Password)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.PostLogoutAsync()).StatusCode);

            // No reload, no click: the tab finds out on its own.
            await page.WaitForURLAsync("**/Account/Login**", new PageWaitForURLOptions { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("input[type=password]")).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A32KbPasteIntoASearchFieldKeepsTheCircuitAlive()
    {
        var planName = $"Paste test plan {Guid.NewGuid():N}"[..26];
        await AddDraftPlanAsync(planName);
        var page = await browser.NewPageAsync(app.BaseAddress);
        var closedSockets = 0;
        page.WebSocket += (_, socket) => socket.Close += (_, _) => Interlocked.Increment(ref closedSockets);
        try
        {
            await SignInAsync(page, "admin@aroma.demo");
            await page.GotoAsync("/plans");
            await new Shell(page).WaitInteractiveAsync();
            var search = page.GetByTestId("plan-search").Locator("input").Or(page.Locator("input[data-testid=plan-search]")).First;

            await search.FillAsync(new string('x', 32 * 1024));
            await Assertions.Expect(page.GetByTestId("plans-empty")).ToBeVisibleAsync();
            // The same circuit still answers: searching for the plan finds it.
            await search.FillAsync(planName);
            await Assertions.Expect(page.GetByTestId("plan-link").Filter(new() { HasText = planName })).ToBeVisibleAsync();

            Assert.Equal(0, Volatile.Read(ref closedSockets));
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task ALostConnectionShowsTheTranslatedReconnectDialogUntilItIsBack()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);
        IWebSocketRoute? circuitSocket = null;
        var offline = false;
        await page.RouteWebSocketAsync(url => url.Contains("/_blazor"), socket =>
        {
            socket.ConnectToServer();
            circuitSocket = socket;
        });
        // While "offline", reconnection attempts cannot reach the server at all (negotiate or any other transport).
        await page.RouteAsync("**/_blazor**", route => Volatile.Read(ref offline) ? route.AbortAsync() : route.ContinueAsync());
        try
        {
            await SignInAsync(page, "admin@aroma.demo");
            await new Shell(page).WaitInteractiveAsync();
            var dialog = page.Locator("#components-reconnect-modal");
            await Assertions.Expect(dialog).Not.ToBeVisibleAsync();

            Volatile.Write(ref offline, true);
            await circuitSocket!.CloseAsync(new() { Code = 4000, Reason = "test: connection lost" });

            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await Assertions.Expect(dialog.Locator("p:visible").First).ToContainTextAsync("重新连接");

            Volatile.Write(ref offline, false);
            await Assertions.Expect(dialog).Not.ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task SignInAsync(IPage page, string email)
    {
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync(email, DemoData.Password);
        await page.WaitForURLAsync(app.BaseAddress + "/");
    }

    private async Task AddDraftPlanAsync(string name)
    {
        await using var db = await app.Factory.ContextForMerchantAsync("aroma-coffee");
        db.MembershipPlans.Add(MembershipPlan.Create(db.Scope.MerchantId!.Value, name, null, "CNY", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }
}
