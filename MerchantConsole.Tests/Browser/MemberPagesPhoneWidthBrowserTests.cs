using MerchantConsole.Data;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Browser;

/// <summary>Store managers look members up on phones: the member grid and a member page at 390 px, with the newest member's long unbroken name.</summary>
[Collection(AppCollection.Name)]
public sealed class MemberPagesPhoneWidthBrowserTests(AppFixture app, BrowserFixture browser)
{
    private const string LongName = "Wolfeschlegelsteinhausenbergerdorffvoralternwaren";

    [Fact]
    public async Task AtPhoneWidthTheMemberGridAndAMemberPageWithALongNameDoNotScrollSideways()
    {
        var phone = NewPhone();
        Guid memberId;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(await MerchantIdAsync(app, Aroma), "tester");
            var plan = (await scope.ServiceProvider.GetRequiredService<MemberQueries>().PlansAsync()).First(p => p.CanEnrol);
            var tier = plan.Tiers.First(t => t.ManualChannelId is not null);
            var enrolled = await scope.ServiceProvider.GetRequiredService<MembershipEnrolment>()
                .EnrolAsync(new EnrolRequest(plan.Id, tier.Id, tier.ManualChannelId!.Value, new CustomerDetails(phone, LongName)));
            memberId = enrolled.MembershipId ?? throw new InvalidOperationException(enrolled.Refusal?.EnglishText);
        }

        var problems = new List<string>();
        foreach (var email in new[] { "admin@aroma.demo", "store@aroma.demo" })
        {
            var page = await browser.NewPageAsync(app.BaseAddress);
            await page.SetViewportSizeAsync(390, 844);
            var login = new LoginPage(page);
            var shell = new Shell(page);
            await login.OpenAsync();
            await login.SignInAsync(email, DemoData.Password);
            await page.WaitForURLAsync(app.BaseAddress + "/");
            foreach (var url in new[] { "/members", $"/members/{memberId}" })
            {
                await page.GotoAsync(url);
                await shell.WaitInteractiveAsync();
                await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0);
                // The newest member is on the grid's first page; the member page shows the name.
                await Assertions.Expect(page.GetByText(LongName).First).ToBeVisibleAsync();
                var width = System.Text.Json.JsonSerializer.Deserialize<PhoneWidthBrowserTests.PageWidth>(
                    await page.EvaluateAsync<string>(PhoneWidthBrowserTests.OverflowScript), System.Text.Json.JsonSerializerOptions.Web)!;
                if (width.ScrollWidth > width.ClientWidth)
                    problems.Add($"{email} {url}: scrolls sideways ({width.ScrollWidth} > {width.ClientWidth}); past the edge: {width.Wide}");
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ArtifactPath($"phone-members-{email.Split('@')[0]}.png"), FullPage = true });
            await page.Context.CloseAsync();
        }

        Assert.Empty(problems);
    }
}
