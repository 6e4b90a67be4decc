using MerchantConsole.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// The real app (migrations, seeding, Identity, Hangfire on SQLite storage) over its own temporary
/// data folder. With <see cref="StartOnLoopbackPort"/> it listens on a real port for the browser.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "mc-app-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings = new();
    private readonly List<Action<IServiceCollection>> _services = [];
    private bool _production;

    /// <summary>A request to this path throws, behind the app's whole pipeline, so tests see its error handling.</summary>
    public const string FailurePath = "/test-support/fail";
    public const string FailureMessage = "Test failure with a secret detail";

    public string DataFolder => _dataFolder;

    /// <summary>
    /// Runs as a production install would: the Production environment and appsettings.json alone, so no demo
    /// data. Without it the app runs as "Testing" with the demo merchants and logins the tests sign in with.
    /// </summary>
    public AppFactory AsProduction()
    {
        _production = true;
        return this;
    }

    public AppFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Adds to the app's services after its own registrations (e.g. an in-memory telemetry exporter).</summary>
    public AppFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Starts Kestrel on a free loopback port and returns its base address.</summary>
    public string StartOnLoopbackPort()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        return addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_production ? "Production" : "Testing");
        // Outside Development the host only serves published assets; the tests run from the build output.
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:DataFolder", _dataFolder);
        if (!_production)
        {
            builder.UseSetting("Database:SeedDemoData", "true");
            builder.UseSetting("Demo:Customers", "10"); // a few of each kind; the shared app starts for every test run
        }
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Traces and metrics are collected (a test can add an in-memory exporter) but not printed.
        builder.UseSetting("Telemetry:Exporter", "None");
        // The paid-order sweep runs when a test calls it, never on its own under a test that holds a Paid order on purpose.
        builder.UseSetting("Orders:SweepCron", Hangfire.Cron.Never());
        var logFile = AppLogFile.FromEnvironment(_production ? "production" : "app");
        if (logFile is not null) builder.ConfigureLogging(logging => logging.AddProvider(logFile).AddFilter<AppLogFile>("Hangfire", LogLevel.Debug));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
            services.AddSingleton<IStartupFilter, FailureProbe>();
            foreach (var configure in _services) configure(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (OperationCanceledException ex)
        {
            // Shutdown outlasted its timeout (a Hangfire worker or a browser circuit still finishing on a
            // loaded machine). Every test has finished by now and the process is ending, so say so and go on.
            Console.Error.WriteLine($"The test app did not stop within its shutdown timeout: {ex.Message}");
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"The test app failed to stop: {ex}");
            throw;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private sealed class FailureProbe : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(FailurePath, failing => failing.Run(_ => throw new InvalidOperationException(FailureMessage)));
        };
    }

    public MerchantDbContext CreateUnscopedContext() =>
        Services.GetRequiredService<ProviderContextOptions>().Create(new MerchantScope());
}
