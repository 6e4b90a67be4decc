using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.RegularExpressions;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// One running app on a loopback port, shared by the HTTP and browser tests. Hangfire keeps its
/// configuration in statics, so the process hosts one app at a time.
/// </summary>
public sealed partial class AppFixture : IAsyncLifetime
{
    /// <summary>Activation of a plan whose name contains this fails its ProductsPending step twice (the attempt limit).</summary>
    public const string FaultPlanMarker = "[fault]";

    /// <summary>Absolute links the app builds start here, whatever Host header a request carries.</summary>
    public const string PublicBaseUrl = "https://console.example.test";

    public AppFixture() : this(new AppFactory()) { }

    /// <summary>The same app over another factory (another database provider, say).</summary>
    internal AppFixture(AppFactory factory) => Factory = factory;

    public AppFactory Factory { get; }
    public string BaseAddress { get; private set; } = "";

    public ValueTask InitializeAsync()
    {
        // Activation gives up fast, and fails on purpose only for plans named "[fault]", so the plan browser test
        // can watch a run go Stuck and support retry it within seconds; other plans activate normally.
        Factory.WithSetting("Workflows:MaxAttempts", "2")
            .WithSetting("Workflows:RetryBaseDelay", "00:00:01")
            .WithSetting("Workflows:RetryMaxDelay", "00:00:02")
            .WithSetting("FaultInjection:Rules:0:Workflow", "PlanActivation")
            .WithSetting("FaultInjection:Rules:0:Step", "ProductsPending")
            .WithSetting("FaultInjection:Rules:0:Mode", "Throw")
            .WithSetting("FaultInjection:Rules:0:Times", "2")
            .WithSetting("FaultInjection:Rules:0:SubjectNameContains", FaultPlanMarker)
            // Sessions end at once for HTTP requests and within seconds for open tabs, so the session tests need no long waits.
            .WithSetting("Sessions:ValidationInterval", "00:00:00")
            .WithSetting("Sessions:RevalidationInterval", "00:00:02")
            .WithSetting("App:PublicBaseUrl", PublicBaseUrl)
            // Every test's client comes from 127.0.0.1: room for all the storefront tests' code requests in one window.
            .WithSetting("Storefront:CodesPerIp", "100");
        BaseAddress = Factory.StartOnLoopbackPort();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>
    /// Points Hangfire's static log provider back at this app's loggers, after another app in the process (the
    /// production start) configured Hangfire and so took it over.
    /// </summary>
    public void RestoreHangfireLogging() =>
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(
            new Hangfire.AspNetCore.AspNetCoreLogProvider(Factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));

    /// <summary>A client with its own cookies that does not follow redirects, so tests see them.</summary>
    public HttpClient NewClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
        { BaseAddress = new Uri(BaseAddress) };

    /// <summary>Signs in through the real login form (antiforgery token included).</summary>
    public Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password) => PostLoginWithAsync(client, email, password);

    /// <summary>The login form posted through any client (this app's or another factory's).</summary>
    internal static async Task<HttpResponseMessage> PostLoginWithAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/Account/Login", form);
    }

    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = NewClient();
        var response = await PostLoginAsync(client, email, MerchantConsole.Data.DemoData.Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryField();
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Running app";
}
