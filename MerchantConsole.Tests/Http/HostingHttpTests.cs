using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MerchantConsole.Data;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Tests.Features.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Http;

/// <summary>Safe defaults of the host: error page, health probes, security headers, absolute links.</summary>
[Collection(AppCollection.Name)]
public sealed class HostingHttpTests(AppFixture app)
{
    [Fact]
    public async Task AnUnhandledErrorAnswersTheFriendlyPageWithoutAStackTrace()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync(AppFactory.FailurePath);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("出错了", html);
        Assert.DoesNotContain(AppFactory.FailureMessage, html);
        Assert.DoesNotContain("InvalidOperationException", html);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health")]
    public async Task AnonymousProbesGetTheStatusOnly(string path)
    {
        using var client = app.NewClient();

        var response = await client.GetAsync(path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task MerchantStaffGetTheStatusOnlyAndSupportTheChecks()
    {
        using var admin = await app.SignedInClientAsync("admin@aroma.demo");
        using var support = await app.SignedInClientAsync("support@merchantconsole.demo");

        var forAdmin = JsonDocument.Parse(await admin.GetStringAsync("/health/ready")).RootElement;
        var forSupport = JsonDocument.Parse(await support.GetStringAsync("/health/ready")).RootElement;

        Assert.False(forAdmin.TryGetProperty("checks", out _));
        Assert.Equal("Healthy", forSupport.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("failed job", forSupport.GetProperty("checks").GetProperty("jobs").GetProperty("description").GetString());
    }

    [Fact]
    public async Task TheLivenessProbeRunsNoChecks()
    {
        using var support = await app.SignedInClientAsync("support@merchantconsole.demo");

        var live = JsonDocument.Parse(await support.GetStringAsync("/health/live")).RootElement;

        Assert.Empty(live.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task TheHangfireDashboardHidesTheStorageLocation()
    {
        using var support = await app.SignedInClientAsync("support@merchantconsole.demo");

        var html = await support.GetStringAsync("/hangfire");

        Assert.Contains("MerchantConsole jobs", html);
        Assert.DoesNotContain("hangfire.db", html);
        Assert.DoesNotContain("SQLite", html);
        Assert.DoesNotContain(app.Factory.DataFolder, html);
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/assets/css/app.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    public async Task EveryResponseCarriesTheSecurityHeadersAndNoServerHeader(string path)
    {
        using var client = app.NewClient();

        var response = await client.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Contains("'self'", directives["script-src"]);
        Assert.DoesNotContain("'unsafe-eval'", directives["script-src"]);
        Assert.DoesNotContain("'unsafe-inline'", directives["script-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"), "The response names its server: " + response.Headers.Server);
    }

    [Fact]
    public async Task EveryInlineScriptCarriesTheNonceTheCspAllows()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/Account/Login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var scripts = Regex.Matches(html, "<script[^>]*>").Select(m => System.Net.WebUtility.HtmlDecode(m.Value)).ToList();
        Assert.Contains(scripts, tag => tag.Contains("importmap"));
        // Blazor's import map is the only inline script; every other one is a file from this origin.
        Assert.All(scripts, tag => Assert.True(
            tag.Contains($"nonce=\"{nonce}\"") || Regex.IsMatch(tag, "src=\"(?!https?:|//)[^\"]+\""), "Not allowed by the CSP: " + tag));
    }

    [Fact]
    public async Task AbsoluteLinksComeFromThePublicBaseUrlNotAForgedHostHeader()
    {
        var aroma = await ServiceForAsync("aroma-coffee");
        var image = await aroma.UploadImageAsync(TestImages.Png(8, 8), "logo.png");
        var created = await aroma.CreateAsync($"Link card {Guid.NewGuid():N}", CardTemplateHarness.Design() with { LogoImageId = image.Id });
        var template = (await aroma.FindAsync(created.Id!.Value))!;
        using var admin = await app.SignedInClientAsync("admin@aroma.demo");

        var preview = await admin.SendAsync(Forged($"/card-templates/{template.Id}/preview"));
        var export = await admin.SendAsync(Forged($"/card-templates/{template.Id}/versions/{template.CurrentDraft!.Id}/export/google"));
        var previewHtml = await preview.Content.ReadAsStringAsync();
        var exportJson = await export.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains($"{AppFixture.PublicBaseUrl}/card-templates/{template.Id}/preview", previewHtml);
        Assert.DoesNotContain("evil.example", previewHtml);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        // Wallets fetch images anonymously, by the image's unguessable public address.
        Assert.Contains($"{AppFixture.PublicBaseUrl}/public/images/", exportJson);
        Assert.DoesNotContain("evil.example", exportJson);
    }

    private static HttpRequestMessage Forged(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";
        return request;
    }

    private async Task<CardTemplateService> ServiceForAsync(string merchantCode)
    {
        var contexts = app.Factory.Services.GetRequiredService<ProviderContextOptions>();
        await using var db = contexts.Create(new MerchantScope());
        var merchantId = await db.Merchants.Where(m => m.Code == merchantCode).Select(m => m.Id).SingleAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, "hosting-test");
        return new CardTemplateService(new MerchantDbContextFactory(contexts, scope), TimeProvider.System);
    }
}
