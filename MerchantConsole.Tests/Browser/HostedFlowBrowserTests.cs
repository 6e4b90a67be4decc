using System.Text.RegularExpressions;
using MerchantConsole.Features.Hosted;
using MerchantConsole.Tests.Features.Hosted;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Playwright;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Browser;

/// <summary>The hosted pages as a customer on a phone uses them (by test id; the pages are static HTML with plain forms).</summary>
public sealed class HostedCustomerPages(IPage page)
{
    public ILocator CardFace => page.GetByTestId("hosted-card-face");

    public async Task SignInAsync(string phone, Func<Task<string?>> code)
    {
        await page.GetByTestId("signin-phone").FillAsync(phone);
        await page.GetByTestId("signin-send").ClickAsync();
        await page.GetByTestId("signin-code").FillAsync((await code())!);
        await page.GetByTestId("signin-submit").ClickAsync();
    }

    /// <summary>Fails with what reaches past the right edge of the phone's screen.</summary>
    public async Task ExpectNoSidewaysScrollAsync()
    {
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(sizes[0] <= sizes[1], $"{page.Url}: {sizes[0]}px wide on a {sizes[1]}px screen");
    }
}

[Collection(AppCollection.Name)]
public sealed class HostedFlowBrowserTests(AppFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task OnAPhoneACustomerBuysACardThenStaffFindThemSeeTheLedgerAndARefundRevokesTheCard()
    {
        var plan = await HostedSite.PlanAsync(app);
        var phone = NewPhone();
        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.SetViewportSizeAsync(390, 844);
        var hosted = new HostedCustomerPages(page);
        try
        {
            // 会员卡引导页: the card as designed and the price.
            await page.GotoAsync(HostedUrls.Guide(plan.MerchantCode, plan.PlanId));
            await Assertions.Expect(hosted.CardFace).ToContainTextAsync(plan.CardTitle);
            await Assertions.Expect(page.GetByTestId("guide-price")).ToHaveTextAsync("¥199.00");
            await hosted.ExpectNoSidewaysScrollAsync();
            await page.GetByTestId("guide-buy").ClickAsync();

            // Sign in with the code the sandbox SMS sender "sent"; back to 确认下单.
            await hosted.SignInAsync(phone, () => SentCodeAsync(app, plan.MerchantCode, phone));
            await Assertions.Expect(page.GetByTestId("confirm-product")).ToHaveTextAsync("Gold yearly");
            await Assertions.Expect(page.GetByTestId("confirm-price")).ToHaveTextAsync("¥199.00");
            await hosted.ExpectNoSidewaysScrollAsync();
            await page.GetByTestId("confirm-pay").ClickAsync();

            // The sandbox's pay page; then back to the result page the order sent along.
            await Assertions.Expect(page.GetByTestId("sandbox-amount")).ToBeVisibleAsync();
            await page.GetByTestId("sandbox-pay").ClickAsync();
            await Assertions.Expect(page.GetByTestId("sandbox-paid")).ToBeVisibleAsync();
            await page.GetByTestId("sandbox-return").ClickAsync();

            // 支付成功页: reloads itself until the card is issued.
            await Assertions.Expect(page.GetByTestId("result")).ToHaveAttributeAsync("data-status", "Fulfilled", new() { Timeout = 60_000 });
            await hosted.ExpectNoSidewaysScrollAsync();
            await page.GetByTestId("result-card").ClickAsync();

            // My card: face, number and a scannable code of the number.
            await Assertions.Expect(hosted.CardFace).ToContainTextAsync(plan.CardTitle);
            await Assertions.Expect(page.GetByTestId("hosted-card-number")).ToHaveTextAsync(new Regex(@"^88\d\d( \d{4}){2}$"));
            await Assertions.Expect(page.GetByTestId("hosted-card-code")).ToBeVisibleAsync();
            var shown = await page.GetByTestId("hosted-card-number").InnerTextAsync();
            await Assertions.Expect(page.GetByTestId("hosted-card-code")).ToHaveAttributeAsync("data-value", shown.Replace(" ", ""));
            await hosted.ExpectNoSidewaysScrollAsync();

            // 订单列表 → 订单详情 with its history.
            await page.GetByTestId("nav-orders").ClickAsync();
            await Assertions.Expect(page.GetByTestId("orders-row")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("orders-status")).ToHaveTextAsync("已完成");
            await hosted.ExpectNoSidewaysScrollAsync();
            await page.GetByTestId("orders-row").ClickAsync();
            await Assertions.Expect(page.GetByTestId("order")).ToHaveAttributeAsync("data-status", "Fulfilled");
            await Assertions.Expect(page.Locator("[data-testid=order-ledger][data-kind=CardIssued]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("order-price")).ToHaveTextAsync("¥199.00");
            await hosted.ExpectNoSidewaysScrollAsync();
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ArtifactPath("hosted-order-detail.png"), FullPage = true });
            Assert.DoesNotContain(BrowserFixture.ConsoleErrors, e => e.Contains("/m/", StringComparison.Ordinal));

            await TheMerchantFindsTheCustomerSeesTheLedgerAndARefundRevokesTheCardAsync(phone);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The back-office side of the same purchase: the member grid, the order page's ledger, a refund.</summary>
    private async Task TheMerchantFindsTheCustomerSeesTheLedgerAndARefundRevokesTheCardAsync(string phone)
    {
        var staff = await browser.NewPageAsync(app.BaseAddress);
        var shell = new Shell(staff);
        ILocator Field(string testId) => staff.Locator($"[data-testid={testId}] input, [data-testid={testId}] textarea, input[data-testid={testId}], textarea[data-testid={testId}]").First;
        try
        {
            await new LoginPage(staff).OpenAsync();
            await new LoginPage(staff).SignInAsync("admin@aroma.demo", MerchantConsole.Data.DemoData.Password);
            await staff.WaitForURLAsync(app.BaseAddress + "/");

            await staff.GotoAsync("/members");
            await shell.WaitInteractiveAsync();
            await Field("member-search").FillAsync(phone);
            await Assertions.Expect(staff.GetByTestId("member-phone")).ToHaveCountAsync(1); // the search applies after its debounce
            await Assertions.Expect(staff.GetByTestId("member-phone")).ToHaveTextAsync(phone);

            await staff.GotoAsync("/orders");
            await shell.WaitInteractiveAsync();
            await Field("order-search").FillAsync(phone);
            await Assertions.Expect(staff.GetByTestId("order-link")).ToHaveCountAsync(1);
            await staff.GetByTestId("order-link").ClickAsync();
            await Assertions.Expect(staff.Locator("[data-testid=ledger-entry][data-kind=PaymentReceived]")).ToHaveCountAsync(1);
            await Assertions.Expect(staff.Locator("[data-testid=ledger-entry][data-kind=CardIssued]")).ToHaveCountAsync(1);
            await Assertions.Expect(staff.GetByTestId("order-card-status")).ToHaveAttributeAsync("data-status", "Active");

            await shell.WaitInteractiveAsync();
            await staff.GetByTestId("order-refund").ClickAsync();
            await Field("support-action-reason").FillAsync("The customer changed their mind");
            await staff.GetByTestId("support-action-confirm").ClickAsync();
            await Assertions.Expect(staff.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Refunded");
            await Assertions.Expect(staff.GetByTestId("order-card-status")).ToHaveAttributeAsync("data-status", "Cancelled");
            await Assertions.Expect(staff.Locator("[data-testid=ledger-entry][data-kind=Refunded]")).ToHaveCountAsync(1);
            await staff.ScreenshotAsync(new() { Path = BrowserFixture.ArtifactPath("staff-order-refunded.png"), FullPage = true });
        }
        finally
        {
            await staff.Context.CloseAsync();
        }
    }
}
