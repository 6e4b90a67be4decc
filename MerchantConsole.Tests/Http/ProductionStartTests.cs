using System.Net;
using System.Text.RegularExpressions;
using MerchantConsole.Data;
using MerchantConsole.Hosting;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Http;

/// <summary>A production start: appsettings.json alone, an empty database, one setup link.</summary>
/// <remarks>
/// Hangfire keeps its log provider in a static, and each app sets it to its own logger factory when it configures
/// Hangfire. Left pointing at this app's factory after it is disposed, every Hangfire logger created later in the
/// shared app (a job attribute's, a worker's) throws ObjectDisposedException and its workers back off for minutes,
/// so disposing hands the static back to the shared app.
/// </remarks>
public sealed class ProductionAppFixture(AppFixture shared) : IAsyncLifetime
{
    // No Hangfire server: the shared app's server is the one this process runs.
    public AppFactory Factory { get; } = new AppFactory().AsProduction()
        .WithSetting("Jobs:RunServer", "false")
        .WithSetting("AllowedHosts", "127.0.0.1;localhost");
    public string BaseAddress { get; private set; } = "";

    public ValueTask InitializeAsync()
    {
        BaseAddress = Factory.StartOnLoopbackPort();
        shared.RestoreHangfireLogging();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        shared.RestoreHangfireLogging();
        await Factory.DisposeAsync();
    }
}

[Collection(AppCollection.Name)]
public sealed partial class ProductionStartTests(ProductionAppFixture production) : IClassFixture<ProductionAppFixture>
{
    private const string NewEmail = "first.support@example.test";
    private const string NewPassword = "Setup2026secret";

    [Fact]
    public async Task AProductionStartSeedsNoDemoDataButTheRoles()
    {
        await using var db = production.Factory.CreateUnscopedContext();

        Assert.Empty(await db.Merchants.ToListAsync());
        Assert.False(await db.Users.AnyAsync(u => u.Email!.EndsWith(".demo")));
        Assert.Equal(StaffRoles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
    }

    [Fact]
    public async Task TheSetupLinkCreatesTheFirstSupportUserOnceAndRefusesASecondUse()
    {
        var token = production.Factory.Services.GetRequiredService<FirstRunSetup>().Token;
        Assert.NotNull(token);
        using var client = NewClient();

        var weak = await PostSetupAsync(client, token, NewEmail, "short");
        var stillValid = production.Factory.Services.GetRequiredService<FirstRunSetup>().IsValid(token);
        var created = await PostSetupAsync(client, token, NewEmail, NewPassword);
        var again = await PostSetupAsync(NewClient(), token, "second@example.test", NewPassword);
        var opened = await NewClient().GetAsync($"/setup?token={token}");

        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("data-testid=\"setup-error\"", await weak.Content.ReadAsStringAsync());
        Assert.True(stillValid);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        // Refused: the form is no longer on offer, so the post names a form that is not there.
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, opened.StatusCode);
        var (support, roles) = await production.Factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync(NewEmail);
            return (user, user is null ? [] : await users.GetRolesAsync(user));
        });
        Assert.NotNull(support);
        Assert.Equal([StaffRoles.Support], roles);
        Assert.Null(await production.Factory.WithScopeAsync(sp => sp.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync("second@example.test")));
        var signIn = await PostLoginAsync(NewClient(), NewEmail, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task AWrongSetupTokenIsRefused(string token)
    {
        var opened = await NewClient().GetAsync($"/setup?token={token}");
        var posted = await PostSetupAsync(NewClient(), token, "intruder@example.test", NewPassword);

        Assert.Equal(HttpStatusCode.Forbidden, opened.StatusCode);
        Assert.Contains("data-testid=\"setup-link-invalid\"", await opened.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(await production.Factory.WithScopeAsync(sp => sp.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync("intruder@example.test")));
    }

    [Fact]
    public async Task AHostHeaderOutsideAllowedHostsIsRefused()
    {
        using var client = NewClient();
        var forged = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        forged.Headers.Host = "evil.example";

        var refused = await client.SendAsync(forged);
        var allowed = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private HttpClient NewClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(production.BaseAddress) };

    private static async Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string? token, string email, string password)
    {
        var path = $"/setup?token={Uri.EscapeDataString(token ?? "")}";
        var page = await client.GetStringAsync("/Account/Login");
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value,
            ["_handler"] = "first-support-user",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }));
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

public sealed class DemoDataGuardTests
{
    [Theory]
    [InlineData("Production", false, true)]
    [InlineData("Production", true, false)]
    [InlineData("Demo", true, true)]
    [InlineData("Development", true, true)]
    [InlineData("Testing", true, true)]
    public void DemoLoginsAreRefusedInProduction(string environment, bool seedDemoData, bool allowed)
    {
        var host = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };

        var refusal = Record.Exception(() => DemoData.EnsureAllowedIn(host, seedDemoData));

        Assert.Equal(allowed, refusal is null);
    }
}
