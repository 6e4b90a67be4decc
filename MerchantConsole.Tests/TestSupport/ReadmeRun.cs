using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// The app started the way the README says (`dotnet run --project MerchantConsole`, from the repository root),
/// as a child process over the test's build (`--no-build`), its own data folder and a free loopback port.
/// </summary>
public sealed class ReadmeRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataFolder;

    private ReadmeRun(Process process, string dataFolder, string baseAddress)
    {
        _process = process;
        _dataFolder = dataFolder;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<ReadmeRun> StartAsync(TimeSpan timeout)
    {
        var port = FreePort();
        var dataFolder = Path.Combine(Path.GetTempPath(), "mc-readme-run", Guid.NewGuid().ToString("N"));
        var start = DotnetRun(["--", $"--Database:DataFolder={dataFolder}", "--urls", $"http://127.0.0.1:{port}"]);
        // The launch profile decides the environment, as it does for a reader of the README.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var run = new ReadmeRun(process, dataFolder, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => run.Append(e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await run.WaitUntilLiveAsync(timeout);
        return run;
    }

    /// <summary>
    /// `dotnet run --project MerchantConsole --no-build -- ARGS` in <paramref name="environment"/> (no launch profile)
    /// until it exits: a command such as `migrate`. Returns its exit code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> CommandAsync(string environment, TimeSpan timeout, params string[] args)
    {
        var start = DotnetRun(["--no-launch-profile", "--", .. args]);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new StringBuilder();
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
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`dotnet run -- {string.Join(' ', args)}` did not exit within {timeout}:\n{output}");
        }
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>`dotnet run --project MerchantConsole --no-build` from the repository root, its output redirected.</summary>
    private static ProcessStartInfo DotnetRun(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", "MerchantConsole", "--no-build" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        return start;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"`dotnet run` exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException($"`dotnet run` did not answer within {timeout}:\n{Output}");
    }

    /// <summary>The checkout's root (where MerchantConsole.sln is), found upwards from the test's output.</summary>
    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "MerchantConsole.sln")))
                return folder.FullName;
        throw new InvalidOperationException("MerchantConsole.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
