using System.Net;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Account;

/// <summary>Bad input is ignored or refused with 400/404, never a 500; the error and reconnect UI speak the page's language.</summary>
[Collection(AppCollection.Name)]
public sealed class CircuitSafetyHttpTests(AppFixture app)
{
    [Theory]
    [InlineData("http%3A%2F%2Fevil.example%2F")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("%2F..%2F%2Fevil.example")]
    [InlineData("%2F%0D%0ASet-Cookie%3A%20x%3D1")]
    [InlineData("javascript%3Aalert(1)")]
    [InlineData("%3A%3A%3A")]
    [InlineData("")]
    public async Task TheLanguageSwitchSendsABadReturnAddressHome(string redirectUri)
    {
        using var client = app.NewClient();

        var response = await client.GetAsync($"/culture/set?culture=en&redirectUri={redirectUri}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheLanguageSwitchReturnsToAPageWithChineseInItsAddress()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/culture/set?culture=en&redirectUri=" + Uri.EscapeDataString("/plans?q=咖啡"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/plans?q=%E5%92%96%E5%95%A1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task BadQueryValuesAreIgnoredAndBadIdsAreNotFound()
    {
        var planId = await AddDraftPlanAsync();
        using var admin = await app.SignedInClientAsync("admin@aroma.demo");

        var ignored = new[]
        {
            $"/plans/{planId}/edit?focus=abc", $"/plans/{planId}/edit?focus={Guid.NewGuid()}", $"/plans/{planId}/edit?step=abc&focus=%00",
            $"/plans/{planId}/edit?step=-5", "/plans/new?focus=not-a-guid&step=99", "/plans?page=-5&status=zzz", "/?page=-5",
            "/card-templates?page=abc", "/Account/Login?ReturnUrl=%00%2F%2Fevil",
        };
        foreach (var url in ignored)
        {
            var response = await admin.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        }
        foreach (var url in new[] { "/plans/not-a-guid", "/plans/not-a-guid/edit", "/card-templates/zzz", "/card-templates/zzz/preview" })
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("en", "Something went wrong and this page stopped working.", "Reload the page", "Reconnecting…")]
    [InlineData("zh-CN", "出现错误，此页面已停止工作。", "重新加载页面", "正在重新连接…")]
    public async Task EveryPageCarriesTheErrorAndReconnectUiInItsLanguage(string culture, string errorText, string reload, string reconnecting)
    {
        using var client = app.NewClient();
        await client.GetAsync($"/culture/set?culture={culture}&redirectUri=%2F");

        var html = await client.GetStringAsync("/Account/Login");

        Assert.Contains("id=\"blazor-error-ui\"", html);
        Assert.Contains(errorText, html);
        Assert.Matches($"<a [^>]*class=\"reload\"[^>]*>{reload}</a>", html);
        Assert.Contains("id=\"components-reconnect-modal\"", html);
        Assert.Contains(reconnecting, html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ScriptSource(html, "Components/Layout/ReconnectModal."))).StatusCode);
    }

    private static string ScriptSource(string html, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"src=\"([^\"]*{System.Text.RegularExpressions.Regex.Escape(name)}[^\"]*)\"");
        Assert.True(match.Success, $"No script {name} on the page.");
        return "/" + match.Groups[1].Value.TrimStart('/');
    }

    private async Task<Guid> AddDraftPlanAsync()
    {
        await using var db = await app.Factory.ContextForMerchantAsync("aroma-coffee");
        var plan = MembershipPlan.Create(db.Scope.MerchantId!.Value, $"Query test plan {Guid.NewGuid():N}"[..24], null, "CNY", DateTimeOffset.UtcNow);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan.Id;
    }
}
