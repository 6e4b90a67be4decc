using System.Net;
using System.Text.Json;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class ShellHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnonymousVisitorsAreSentToTheLoginPage()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task HealthReportsTheDatabaseAndJobStorageToSupport()
    {
        using var client = await app.SignedInClientAsync("support@merchantconsole.demo");

        var response = await client.GetAsync("/health");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheHangfireDashboardRefusesAnonymousVisitors()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("admin@aroma.demo")]
    [InlineData("store@aroma.demo")]
    public async Task TheHangfireDashboardRefusesMerchantStaff(string email)
    {
        using var client = await app.SignedInClientAsync(email);

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TheHangfireDashboardOpensForSupport()
    {
        using var client = await app.SignedInClientAsync("support@merchantconsole.demo");

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("MerchantConsole jobs", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASignedInAdminSeesTheMerchantsDashboard()
    {
        using var client = await app.SignedInClientAsync("admin@orchard.demo");

        var html = await client.GetStringAsync("/");

        Assert.Contains("Fresh Orchard 鲜果园", html);
        Assert.DoesNotContain("Aroma Coffee", html);
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAMessageAndNoCookie()
    {
        using var client = app.NewClient();

        var response = await app.PostLoginAsync(client, "admin@aroma.demo", "not-the-password");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task TheLanguageSwitchSetsTheCultureCookieAndRefusesUnknownCultures()
    {
        using var client = app.NewClient();

        var english = await client.GetAsync("/culture/set?culture=en&redirectUri=%2FAccount%2FLogin");
        var page = await client.GetStringAsync("/Account/Login");
        var unknown = await client.GetAsync("/culture/set?culture=xx&redirectUri=%2F");
        var offsite = await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2F%2Fevil.example");

        Assert.Equal(HttpStatusCode.Redirect, english.StatusCode);
        Assert.Equal("/Account/Login", english.Headers.Location!.OriginalString);
        Assert.Contains("Sign in", page);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ShippedAssetsAreServed()
    {
        using var client = app.NewClient();

        var css = await client.GetAsync("/assets/css/app.css");
        var logo = await client.GetAsync("/assets/img/logo.svg");

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Equal("image/svg+xml", logo.Content.Headers.ContentType!.MediaType);
    }
}
