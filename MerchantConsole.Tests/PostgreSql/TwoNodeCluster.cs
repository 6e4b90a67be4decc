using System.Diagnostics;
using System.Net;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Npgsql;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// Two real app processes (`dotnet MerchantConsole.dll`, Testing environment) on one fresh PostgreSQL database on the
/// server <see cref="PostgreSqlAppFixture.ServerVariable"/> names: migrated once by the `migrate` command (with the demo
/// data), then both nodes started with migrate-on-start off, each on its own loopback port with its own Hangfire server,
/// and every setting that must be equal on every node equal. Recovery settings are short so a killed node's work moves
/// to the other within seconds (see <see cref="NodeSettings"/>). Without the server variable nothing starts.
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    /// <summary>The sandbox callbacks' HMAC key, the same on both nodes (and in the test, which signs callbacks).</summary>
    public const string PaymentSecret = "two-nodes-shared-sandbox-secret";
    /// <summary>Workflow runs whose subject's name contains this pause at their first attempt of <see cref="PausedPlanStep"/> / <see cref="PausedBenefitStep"/>.</summary>
    public const string PauseMarker = "[pause]";
    public const string PausedPlanStep = "ProductsPending";
    public const string PausedBenefitStep = "CouponActivity";
    /// <summary>How long a paused step or grant holds its Hangfire job: long enough for the test to kill its node inside it.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(20);
    /// <summary>A dead node's fetched job is fetched again by the other node this long after its last heartbeat.</summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(8);

    private string? _serverConnectionString;
    private string? _databaseName;
    private readonly List<AppNode> _nodes = [];
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "mc-two-nodes", Guid.NewGuid().ToString("N"));

    public string? ConnectionString { get; private set; }
    public ProviderContextOptions Contexts { get; private set; } = null!;
    public AppNode A => _nodes[0];
    public AppNode B => _nodes[1];
    public IReadOnlyList<AppNode> Nodes => _nodes;

    public async ValueTask InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(PostgreSqlAppFixture.ServerVariable);
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
            return;
        (_databaseName, ConnectionString) = await ThrowawayDatabase.CreateAsync(_serverConnectionString, "mc_twonodes");
        Contexts = new ProviderContextOptions(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = ConnectionString },
            AppContext.BaseDirectory, new SaveStampingInterceptor(TimeProvider.System, new RecordingOutboxTrigger()));

        var (exitCode, output) = await AppNode.MigrateAsync(DatabaseSettings(seed: true), TimeSpan.FromMinutes(4));
        if (exitCode != 0)
            throw new InvalidOperationException($"migrate exited with {exitCode}:\n{output}");
        _nodes.Add(new AppNode("A"));
        _nodes.Add(new AppNode("B"));
        // One after the other: the first start creates Hangfire's schema.
        foreach (var node in _nodes)
            await node.StartAsync(NodeSettings(), TimeSpan.FromMinutes(3));
    }

    /// <summary>The cluster, or the test is skipped with the reason.</summary>
    public TwoNodeCluster Require()
    {
        Assert.SkipWhen(ConnectionString is null, PostgreSqlAppFixture.SkipReason);
        return this;
    }

    /// <summary>Starts again any node a test killed, so every test begins with two nodes.</summary>
    public async Task EnsureBothRunningAsync()
    {
        foreach (var node in _nodes.Where(n => !n.IsRunning))
            await node.StartAsync(NodeSettings(), TimeSpan.FromMinutes(3));
    }

    /// <summary>Hangfire's client on the cluster's storage, for the services a test calls as a node's page would.</summary>
    public IBackgroundJobClient JobClient()
    {
        // Hangfire's log provider is process-wide: it may still point at an in-process test app already disposed, which
        // a new client would fail on. Only a dead provider is replaced; a live one keeps logging.
        try
        {
            Hangfire.Logging.LogProvider.GetLogger(nameof(TwoNodeCluster));
        }
        catch (ObjectDisposedException)
        {
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentHangfireLogs());
        }
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
        return new BackgroundJobClient(new PostgreSqlStorage(new NpgsqlConnectionFactory(ConnectionString!, options), options));
    }

    /// <summary>The node whose output first says it holds an injected pause matching <paramref name="text"/>.</summary>
    public async Task<AppNode> NodePausedAtAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_nodes.FirstOrDefault(n => n.IsRunning && n.HasLine(l => l.Contains("Injected pause", StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal))) is { } node)
                return node;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No node paused at {text} within {timeout}.\n{string.Join("\n", _nodes.Select(n => $"-- node {n.Name}:\n{n.Output}"))}");
    }

    private IEnumerable<string> DatabaseSettings(bool seed) =>
    [
        "--Database:Provider=PostgreSql",
        $"--Database:DataFolder={_dataFolder}",
        $"--Database:PostgreSqlConnectionString={ConnectionString}",
        $"--Database:SeedDemoData={(seed ? "true" : "false")}",
        "--Demo:Customers=10",
        "--Telemetry:Exporter=None",
        "--Logging:LogLevel:Default=Warning",
    ];

    /// <summary>
    /// Equal on both nodes. Recovery in seconds instead of minutes: a dead node's Hangfire job returns to the queue after
    /// <see cref="InvisibilityTimeout"/>; a workflow step Running longer than 3 s counts as timed out when its job is run
    /// again; a grant's lease is 3 s. The recurring sweepers are off, so what recovers the work is Hangfire's re-fetch.
    /// </summary>
    private IEnumerable<string> NodeSettings() =>
    [
        .. DatabaseSettings(seed: false),
        "--Database:MigrateOnStartup=false",
        "--App:PublicBaseUrl=http://console.two-nodes.test",
        "--App:UseStaticWebAssets=true",
        $"--Payments:Sandbox:Secret={PaymentSecret}",
        $"--Jobs:InvisibilityTimeout={InvisibilityTimeout:c}",
        "--Workflows:StuckAfter=00:00:03",
        "--Workflows:RetryBaseDelay=00:00:01",
        "--Workflows:RetryMaxDelay=00:00:02",
        $"--Workflows:SweepCron={Cron.Never()}",
        "--Grants:Lease=00:00:03",
        "--Grants:BatchSize=5",
        $"--Grants:SweepCron={Cron.Never()}",
        $"--Grants:TestPauseAfterFirstBatch={Pause:c}",
        .. PauseRule(0, "PlanActivation", PausedPlanStep),
        .. PauseRule(1, "BenefitActivation", PausedBenefitStep),
    ];

    private static IEnumerable<string> PauseRule(int index, string workflow, string step) =>
    [
        $"--FaultInjection:Rules:{index}:Workflow={workflow}",
        $"--FaultInjection:Rules:{index}:Step={step}",
        $"--FaultInjection:Rules:{index}:Mode=Pause",
        $"--FaultInjection:Rules:{index}:Times=1",
        $"--FaultInjection:Rules:{index}:PauseFor={Pause:c}",
        $"--FaultInjection:Rules:{index}:SubjectNameContains={PauseMarker}",
    ];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (_databaseName is null)
            return;
        await ThrowawayDatabase.DropAsync(_serverConnectionString!, _databaseName);
    }
}

/// <summary>One app process: the built MerchantConsole.dll run by `dotnet` from the project folder, on a loopback port.</summary>
public sealed class AppNode(string name) : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private Process? _process;

    public string Name { get; } = name;
    public string BaseAddress { get; private set; } = "";
    public bool IsRunning => _process is { HasExited: false };

    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    public bool HasLine(Func<string, bool> predicate)
    {
        lock (_lines) return _lines.Any(predicate);
    }

    public async Task StartAsync(IEnumerable<string> settings, TimeSpan timeout)
    {
        var port = ReadmeRun.FreePort();
        BaseAddress = $"http://127.0.0.1:{port}";
        lock (_lines) _lines.Clear();
        _process?.Dispose();
        var start = Dotnet(["--urls", BaseAddress, .. settings]);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Node {Name} was not ready within {timeout}:\n{Output}");
    }

    /// <summary>kill -9: the process ends at once, in the middle of whatever it was doing.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A client with its own cookies that does not follow redirects.</summary>
    public HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
        { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>`dotnet MerchantConsole.dll migrate …` in the Testing environment, until it exits.</summary>
    public static async Task<(int ExitCode, string Output)> MigrateAsync(IEnumerable<string> settings, TimeSpan timeout)
    {
        using var process = Process.Start(Dotnet(["migrate", .. settings])) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// `dotnet MerchantConsole.dll ARGS` from the project folder (its appsettings.json), over the build the test project's
    /// reference to MerchantConsole made: bin/&lt;configuration&gt;/net10.0 beside the test's own configuration.
    /// </summary>
    private static ProcessStartInfo Dotnet(IEnumerable<string> arguments)
    {
        var project = Path.Combine(ReadmeRun.RepositoryRoot(), "MerchantConsole");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // …/bin/<configuration>/net10.0/
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "MerchantConsole.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is not built.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return start;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            _process?.Dispose();
        }
    }
}

/// <summary>Hangfire's logs in the test process, once the app they went to is gone: dropped.</summary>
internal sealed class SilentHangfireLogs : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
{
    public Hangfire.Logging.ILog GetLogger(string name) => this;

    public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
}
