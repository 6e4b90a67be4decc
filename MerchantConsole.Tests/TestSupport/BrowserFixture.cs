using Microsoft.Playwright;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// Chromium through Playwright: the browser at CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
/// Playwright's own download. It never skips: with no browser at all the tests fail and say why.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ArtifactsFolder = "test-artifacts";
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
        var options = new BrowserTypeLaunchOptions
        {
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        };
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (string.IsNullOrEmpty(path) && File.Exists("/usr/bin/chromium")) path = "/usr/bin/chromium";
        if (!string.IsNullOrEmpty(path))
        {
            options.ExecutablePath = path;
        }
        else if (Microsoft.Playwright.Program.Main(["install", "chromium"]) != 0)
        {
            throw new InvalidOperationException("No browser: set CHROMIUM_PATH, install Debian's chromium, or allow Playwright to download its own.");
        }
        Browser = await _playwright.Chromium.LaunchAsync(options);
    }

    public async Task<IPage> NewPageAsync(string baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // Generous: a 2-core CI machine building and testing at once can take seconds to sign in.
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        // Kept on the page so a failing wait can say what the browser complained about.
        page.Console += (_, message) => { if (message.Type is "error" or "warning") ConsoleErrors.Add($"{message.Type}: {message.Text}"); };
        page.PageError += (_, error) => ConsoleErrors.Add("page error: " + error);
        return page;
    }

    public static System.Collections.Concurrent.ConcurrentBag<string> ConsoleErrors { get; } = new();

    public static string ArtifactPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, ArtifactsFolder);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Browser is not null) await Browser.DisposeAsync();
            _playwright?.Dispose();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"The browser failed to close: {ex}");
            throw;
        }
    }
}
