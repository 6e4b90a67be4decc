using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.Features.Support;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantConsole.Tests.Browser;

/// <summary>Store managers redeem coupons on phones: every staff page at 390 px, as the role that uses it.</summary>
[Collection(AppCollection.Name)]
public sealed class PhoneWidthBrowserTests(AppFixture app, BrowserFixture browser)
{
    // Lists the elements that reach past the right edge, so a failure says what to fix.
    internal const string OverflowScript = """
        () => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && e.getClientRects().length > 0)
                .slice(-4)
                .map(e => e.tagName.toLowerCase() + (e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : '') + '.' + [...e.classList].join('.'));
            return JSON.stringify({ scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.join(' ') });
        }
        """;

    private const string OneLineScript = """
        () => {
            const name = document.querySelector('[data-testid=merchant-name]');
            const lineHeight = parseFloat(getComputedStyle(name).lineHeight);
            return name.getBoundingClientRect().height < lineHeight * 1.5 && getComputedStyle(name).whiteSpace === 'nowrap';
        }
        """;

    [Fact]
    public async Task AtPhoneWidthNoStaffPageScrollsSidewaysAndTheAppBarKeepsTheMerchantNameOnOneLine()
    {
        var planId = await AddDraftPlanAsync("Phone width plan with a name long enough to wrap on a small screen");
        Guid templateId;
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee"))
            templateId = await db.CardTemplates.Select(t => t.Id).FirstAsync();
        string adminId;
        await using (var db = app.Factory.CreateUnscopedContext())
            adminId = await db.Users.Where(u => u.Email == "admin@aroma.demo").Select(u => u.Id).SingleAsync();
        var (_, runId) = await StuckRunSeed.CreateAsync(app, "Phone width stuck plan", "The wallet service did not answer in time.");
        Guid memberId;
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee"))
            memberId = await db.Memberships.Select(m => m.Id).FirstAsync();
        Guid couponTemplateId, activityId;
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee"))
        {
            couponTemplateId = await db.CouponTemplates.Select(t => t.Id).FirstAsync();
            activityId = await db.Activities.Select(a => a.Id).FirstAsync();
        }
        var visits = new (string Email, string[] Urls)[]
        {
            ("admin@aroma.demo",
            [
                "/", "/card-templates", $"/card-templates/{templateId}", $"/card-templates/{templateId}/preview",
                "/plans", "/plans/new", $"/plans/{planId}/edit", $"/plans/{planId}/edit?step=tiers", $"/plans/{planId}/edit?step=review", $"/plans/{planId}",
                "/staff", $"/staff/{adminId}", "/settings", "/members", $"/members/{memberId}",
                "/coupon-templates", "/coupon-templates/new", $"/coupon-templates/{couponTemplateId}", "/activities", $"/activities/{activityId}", "/redeem",
            ]),
            ("store@aroma.demo", ["/", "/card-templates/previews", "/plans", $"/plans/{planId}", "/members", "/redeem"]),
            ("support@merchantconsole.demo", ["/", "/support/runs", $"/support/runs/{runId}", "/merchants", "/merchants/new"]),
        };

        var problems = new List<string>();
        foreach (var (email, urls) in visits)
        {
            var page = await browser.NewPageAsync(app.BaseAddress);
            await page.SetViewportSizeAsync(390, 844);
            var login = new LoginPage(page);
            var shell = new Shell(page);
            await login.OpenAsync();
            await login.SignInAsync(email, DemoData.Password);
            await page.WaitForURLAsync(app.BaseAddress + "/");
            foreach (var url in urls)
            {
                await page.GotoAsync(url);
                await shell.WaitInteractiveAsync();
                await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate, [data-testid=dry-run-checking]")).ToHaveCountAsync(0);
                var width = System.Text.Json.JsonSerializer.Deserialize<PageWidth>(await page.EvaluateAsync<string>(OverflowScript), System.Text.Json.JsonSerializerOptions.Web)!;
                if (width.ScrollWidth > width.ClientWidth)
                    problems.Add($"{email} {url}: scrolls sideways ({width.ScrollWidth} > {width.ClientWidth}); past the edge: {width.Wide}");
                if (!await page.EvaluateAsync<bool>(OneLineScript))
                    problems.Add($"{email} {url}: the merchant name is not on one line");
                if (await page.GetByTestId("user-menu").IsVisibleAsync() || !await page.GetByTestId("user-menu-icon").IsVisibleAsync())
                    problems.Add($"{email} {url}: the user menu is not an icon");
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath($"phone-{email.Split('@')[0]}.png") });
            await page.Context.CloseAsync();
        }

        Assert.Empty(problems);
    }

    internal sealed record PageWidth(int ScrollWidth, int ClientWidth, string Wide);

    private async Task<Guid> AddDraftPlanAsync(string name)
    {
        await using var db = await app.Factory.ContextForMerchantAsync("aroma-coffee");
        var plan = MembershipPlan.Create(db.Scope.MerchantId!.Value, name, null, "CNY", DateTimeOffset.UtcNow);
        var tier = plan.AddTier("Silver", "#607D8B", UpgradeRule.None, null, TierValidity.Permanent, null, DateTimeOffset.UtcNow);
        plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, DateTimeOffset.UtcNow);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan.Id;
    }
}
