using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// <c>fulfil [orders] [concurrency] [duplicateEvery] [warmUp] --provider PostgreSql --connection … --nodes N</c>: the fulfilment of N
/// orders' signed callbacks with the app as separate processes on one PostgreSQL database — first one node, then N nodes,
/// each on a fresh database migrated once by the app's <c>migrate</c> command (the nodes start with migrate-on-start off) —
/// and the ratio of their throughputs. Callbacks are spread over the nodes, each duplicate to another node than its first
/// copy. They are built here from the order rows and the sandbox's secret, set the same on every node. Before the measured orders,
/// rounds of <c>warmUp</c> orders of another plan go through every node, not counted, until the runtime's recompiler is
/// quiet (<see cref="RecompilerWatch"/>): a node serves for days, while in its first minutes it is still compiling its hot
/// methods again, optimised, on the same cores. <c>--pairs P</c> runs one node and N nodes alternately P times and takes
/// each ratio between neighbouring runs. Each run also prints the
/// CPU time per order of the nodes, PostgreSQL and the senders, and how busy the machine was; <c>--node-cpus X</c> limits each
/// node to X cores (<see cref="NodeCpuLimit"/>). See README, Benchmarks.
/// </summary>
internal static class BenchNodes
{
    // Warm-up rounds go on until the runtime's recompiler takes less than this share of the nodes' CPU in a round after
    // the first: the recompiles start only once the runtime has seen a pause, so a small first round can look quiet
    // before they have begun (a 500-order first round read 1 %, and the measured run still recompiled 0.36 ms per order).
    private const double WarmRecompileShare = 0.03;
    private const int MinWarmUpRounds = 2;
    private const int WarmUpRounds = 8;

    public static async Task RunAsync(BenchOptions options, int nodes)
    {
        if (!options.IsPostgreSql)
            throw new ArgumentException("--nodes needs --provider PostgreSql: SQLite's job storage is single-process.");
        var args = options.Positional;
        var orderCount = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
        var duplicateEvery = args.Length > 2 ? int.Parse(args[2]) : 4;
        var warmUp = args.Length > 3 ? int.Parse(args[3]) : 0;
        var app = AppDll();
        Console.WriteLine($"Fulfilment on separate app processes — {Environment.ProcessorCount} cores, {orderCount:N0} orders, {concurrency} concurrent senders, "
            + $"every {duplicateEvery}th callback twice (the copy to another node), {(warmUp > 0 ? $"{warmUp:N0} orders first through the nodes, not counted" : "no warm-up")}"
            + (options.NodeCpus is { } cpus ? $", each node limited to {cpus:0.##} core(s)" : ", nodes not limited") + $"; app {app}");
        // One node and N nodes alternately: how fast this machine runs the same work drifts by tens of per cent over
        // minutes (CPU per order of one node at 0.35 core: 0.72–1.08 ms in runs of the same build), so each ratio is
        // taken between neighbouring runs.
        var runs = new List<(int Pair, int Nodes, FulfilmentBenchmark.FulfilFigures Figures, CpuUse Cpu)>();
        for (var pair = 1; pair <= options.Pairs; pair++)
            foreach (var count in nodes == 1 ? [1] : new[] { 1, nodes })
            {
                Console.WriteLine($"=== {(options.Pairs > 1 ? $"pair {pair}: " : "")}{count} node(s); load average before: {LoadAverage()}");
                var (figures, cpu) = await RunOnceAsync(options, app, count, orderCount, concurrency, duplicateEvery, warmUp);
                runs.Add((pair, count, figures, cpu));
                Console.WriteLine($"load average after: {LoadAverage()}");
            }
        Console.WriteLine($"{"pair",4} {"nodes",5} {"callbacks/s",12} {"answer p95",11} {"orders/s",9} {"to card p95",12} {"CPU ms/order: nodes",20} {"database",9} {"senders",8} {"machine busy",13}  exactly once");
        foreach (var (pair, count, f, c) in runs)
            Console.WriteLine($"{pair,4} {count,5} {f.CallbacksPerSecond,12:N0} {f.AnswerP95,9:N0}ms {f.OrdersPerSecond,9:N0} {f.ToCardP95,10:N0}ms "
                + $"{c.NodesPerOrder,20:N2} {c.DatabasePerOrder,9:N2} {c.SendersPerOrder,8:N2} {c.MachineBusyPercent,12:N0}%  {(f.ExactlyOnce ? "yes" : "NO")}");
        if (nodes > 1)
        {
            var ratios = runs.GroupBy(r => r.Pair).Select(p => p.Single(r => r.Nodes == nodes).Figures.OrdersPerSecond / p.Single(r => r.Nodes == 1).Figures.OrdersPerSecond)
                .ToList();
            var sorted = ratios.Order().ToList();
            var median = (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
            Console.WriteLine($"ratio {nodes} nodes / 1 node, orders/s: {string.Join(", ", ratios.Select(r => r.ToString("N2")))}"
                + (ratios.Count > 1 ? $"; median {median:N2}" : "") + " (goal >= 1.6)");
        }
    }

    private static async Task<(FulfilmentBenchmark.FulfilFigures, CpuUse)> RunOnceAsync(BenchOptions options, string app, int nodeCount, int orderCount, int concurrency,
        int duplicateEvery, int warmUp)
    {
        await using var database = await BenchDatabase.CreateAsync(options, $"nodes{nodeCount}");
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var settings = new Dictionary<string, string>(database.AppSettings().Select(s => new KeyValuePair<string, string>(s.Key.Replace(":", "__"), s.Value)))
        {
            ["Database__SeedDemoData"] = "true",
            ["Database__MigrateOnStartup"] = "false",
            ["Payments__Sandbox__Secret"] = secret,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Error",
            // Each lost race is logged at Information; the run counts them.
            [$"Logging__LogLevel__{typeof(OrderFulfilment).FullName}"] = "Information",
            [$"Logging__LogLevel__{typeof(PaymentRecording).FullName}"] = "Information",
            ["Telemetry__Exporter"] = "None",
            ["App__PublicBaseUrl"] = "https://bench.example.test",
        };
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("BENCH_", StringComparison.Ordinal)))
            settings[key["BENCH_".Length..]] = Environment.GetEnvironmentVariable(key)!;

        var sw = Stopwatch.StartNew();
        var (exit, output) = await Node.CommandAsync(app, settings, TimeSpan.FromMinutes(10), "migrate");
        if (exit != 0)
            throw new InvalidOperationException($"migrate exited with {exit}:\n{output}");
        Console.WriteLine($"{output.Trim()} ({sw.Elapsed.TotalSeconds:F1} s); {database.Description}");

        var started = new List<Node>();
        try
        {
            sw.Restart();
            foreach (var _ in Enumerable.Range(0, nodeCount))
                started.Add(Node.Start(app, settings, options.NodeCpus));
            foreach (var node in started)
                await node.WaitUntilLiveAsync(TimeSpan.FromMinutes(5));
            Console.WriteLine($"started {nodeCount} node(s) at {string.Join(", ", started.Select(n => n.BaseAddress))} in {sw.Elapsed.TotalSeconds:F1} s");

            var contexts = new ProviderContextOptions(database.Database, database.Folder, new SaveStampingInterceptor(TimeProvider.System, new NoTrigger()));
            sw.Restart();
            var (merchantId, planId, orders) = await FulfilmentBenchmark.ArrangeAsync(contexts, null, orderCount);
            Console.WriteLine($"arranged a plan with an on-join coupon and {orderCount:N0} pending orders in {sw.Elapsed.TotalSeconds:F1} s");
            var callbacks = await CallbacksAsync(contexts, merchantId, orders, secret);
            if (warmUp > 0)
            {
                // Round after round until the runtime has stopped recompiling: a round's orders are another plan's, not counted.
                for (var round = 1; ; round++)
                {
                    var (warmMerchant, warmPlan, warmOrders) = await FulfilmentBenchmark.ArrangeAsync(contexts, null, warmUp, key: $"warm-up-{round}",
                        phonePrefix: $"15{round}");
                    var warmCallbacks = await CallbacksAsync(contexts, warmMerchant, warmOrders, secret);
                    await using var warmRecompiler = new RecompilerWatch(started.Select(n => n.Process));
                    var nodeCpu = CpuReading.Take(started.Select(n => n.Process));
                    Console.WriteLine($"warm-up round {round}, not counted: {warmUp:N0} orders of another plan through every node");
                    await FulfilmentBenchmark.SendAndCheckAsync(contexts, warmMerchant, warmPlan, warmOrders, warmCallbacks,
                        [.. started.Select(n => n.BaseAddress)], concurrency, duplicateEvery);
                    var share = warmRecompiler.Total / (CpuReading.Take(started.Select(n => n.Process)).Nodes - nodeCpu.Nodes);
                    Console.WriteLine($"  the runtime's recompiler: {share:P0} of the nodes' CPU");
                    if ((share < WarmRecompileShare && round >= MinWarmUpRounds) || round == WarmUpRounds)
                        break;
                }
                // Lets the runtime finish, in the background, the optimised recompiles the warm-up asked for.
                await Task.Delay(TimeSpan.FromSeconds(5));
                started.ForEach(n => n.ForgetLostRaces());
                Console.WriteLine("measured:");
            }
            var cpuBefore = CpuReading.Take(started.Select(n => n.Process));
            await using var recompiler = new RecompilerWatch(started.Select(n => n.Process));
            var figures = await FulfilmentBenchmark.SendAndCheckAsync(contexts, merchantId, planId, orders, callbacks, [.. started.Select(n => n.BaseAddress)],
                concurrency, duplicateEvery);
            var cpu = CpuReading.Take(started.Select(n => n.Process)).Since(cpuBefore, orderCount);
            Console.WriteLine($"CPU per order: nodes {cpu.NodesPerOrder:N2} ms, PostgreSQL {cpu.DatabasePerOrder:N2} ms, senders and checks {cpu.SendersPerOrder:N2} ms; "
                + $"machine {cpu.MachineBusyPercent:N0}% busy; of the nodes' CPU the runtime's recompiler "
                + $"{recompiler.Total.TotalMilliseconds / orderCount:N2} ms per order");
            Console.WriteLine($"lost races, run again: {started.Sum(n => n.LostRaces("A recording of"))} payment recordings, "
                + $"{started.Sum(n => n.LostRaces("A batch of"))} fulfilment chunks, {started.Sum(n => n.LostRaces("Fulfilling order"))} single orders");
            return (figures, cpu);
        }
        finally
        {
            foreach (var node in started)
                await node.DisposeAsync();
        }
    }

    /// <summary>Each order's callback as the payment provider would sign it: from its row (payment id, amount) and the shared secret.</summary>
    private static async Task<List<(int Order, byte[] Body, string Signature)>> CallbacksAsync(ProviderContextOptions contexts, Guid merchantId,
        List<(Guid Id, string PaymentId)> orders, string secret)
    {
        await using var db = contexts.CreateForMerchant(merchantId, "bench");
        var ids = orders.Select(o => o.Id).ToList();
        var rows = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, o.PaymentId, o.MerchantId, o.PriceMinorUnits, o.Currency }).ToDictionaryAsync(o => o.Id);
        var signatures = new PaymentSignatures(Options.Create(new SandboxPaymentOptions { Secret = secret }));
        var paidAt = DateTimeOffset.UtcNow;
        return orders.Select((o, i) =>
        {
            var row = rows[o.Id];
            var body = JsonSerializer.SerializeToUtf8Bytes(new PaymentCallback(row.PaymentId!, row.MerchantId, row.Id, row.PriceMinorUnits, row.Currency, paidAt),
                JsonSerializerOptions.Web);
            return (i, body, signatures.Sign(body));
        }).ToList();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>The app's own build output beside this one's (MerchantConsole/bin/&lt;configuration&gt;/&lt;framework&gt;).</summary>
    private static string AppDll()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "MerchantConsole.sln")))
            {
                var relative = Path.GetRelativePath(Path.Combine(folder.FullName, "MerchantConsole.Benchmarks"), AppContext.BaseDirectory);
                var dll = Path.Combine(folder.FullName, "MerchantConsole", relative, "MerchantConsole.dll");
                return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution in this configuration.");
            }
        // Built with --output: the app's build is beside this one.
        var beside = Path.Combine(AppContext.BaseDirectory, "MerchantConsole.dll");
        return File.Exists(Path.Combine(AppContext.BaseDirectory, "MerchantConsole.runtimeconfig.json")) ? beside
            : throw new InvalidOperationException("MerchantConsole.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One app process (<c>dotnet MerchantConsole.dll</c>, Testing environment, its content root the project folder) on a free loopback port.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly NodeCpuLimit? _cpuLimit;
        private readonly StringBuilder _output = new();
        // How the nodes' lost-race log lines begin (OrderFulfilment, PaymentRecording), and how many of each came.
        private static readonly string[] LostRaceLines = ["A recording of", "A batch of", "Fulfilling order"];
        private readonly Dictionary<string, int> _lostRaces = [];

        private Node(Process process, string baseAddress, NodeCpuLimit? cpuLimit)
        {
            _process = process;
            _cpuLimit = cpuLimit;
            BaseAddress = baseAddress;
        }

        public string BaseAddress { get; }
        public Process Process => _process;

        public static Node Start(string app, IReadOnlyDictionary<string, string> settings, double? cpus)
        {
            var port = FreePort();
            var start = StartInfo(app, settings, "--urls", $"http://127.0.0.1:{port}");
            // The runtime sizes its GC heaps, thread pool and spinning by the cores it sees when it starts; a process
            // moved into its limit afterwards would not notice it, so it is told what a machine of that size reports.
            if (cpus is { } limit)
                start.Environment["DOTNET_PROCESSOR_COUNT"] = Math.Max(1, (int)Math.Ceiling(limit)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var node = new Node(process, $"http://127.0.0.1:{port}", cpus is { } cores ? NodeCpuLimit.Apply(process.Id, cores) : null);
            process.OutputDataReceived += (_, e) => node.Append(e.Data);
            process.ErrorDataReceived += (_, e) => node.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return node;
        }

        /// <summary>The app run as a command (<c>migrate</c>) until it exits: its exit code and output.</summary>
        public static async Task<(int ExitCode, string Output)> CommandAsync(string app, IReadOnlyDictionary<string, string> settings, TimeSpan timeout,
            params string[] args)
        {
            using var process = Process.Start(StartInfo(app, settings, args)) ?? throw new InvalidOperationException("dotnet did not start.");
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
                throw;
            }
            lock (output) return (process.ExitCode, output.ToString());
        }

        private static ProcessStartInfo StartInfo(string app, IReadOnlyDictionary<string, string> settings, params string[] args)
        {
            // The project folder (bin/<configuration>/<framework> below it); for an --output build, MerchantConsole under the current folder.
            var contentRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(app)!, "..", "..", ".."));
            if (!File.Exists(Path.Combine(contentRoot, "MerchantConsole.csproj")))
                contentRoot = Path.GetFullPath("MerchantConsole");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = contentRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "exec", app }.Concat(args).Concat(["--contentRoot", contentRoot]))
                start.ArgumentList.Add(argument);
            start.Environment.Remove("DOTNET_ENVIRONMENT");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            foreach (var (key, value) in settings)
                start.Environment[key] = value;
            return start;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output)
            {
                if (line.Contains("lost a race", StringComparison.Ordinal))
                {
                    foreach (var start in LostRaceLines.Where(s => line.TrimStart().StartsWith(s, StringComparison.Ordinal)))
                        _lostRaces[start] = _lostRaces.GetValueOrDefault(start) + 1;
                    return;
                }
                _output.AppendLine(line);
                if (_output.Length > 200_000)
                    _output.Remove(0, 100_000);
            }
        }

        public async Task WaitUntilLiveAsync(TimeSpan timeout)
        {
            using var http = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"the node at {BaseAddress} exited with {_process.ExitCode}:\n{Output}");
                try
                {
                    if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(500);
            }
            throw new TimeoutException($"the node at {BaseAddress} did not answer within {timeout}:\n{Output}");
        }

        /// <summary>Starts the lost races' count again (after the warm-up).</summary>
        public void ForgetLostRaces()
        {
            lock (_output) _lostRaces.Clear();
        }

        /// <summary>Log lines of lost races that begin with <paramref name="start"/>, one of <see cref="LostRaceLines"/>.</summary>
        public int LostRaces(string start)
        {
            lock (_output) return _lostRaces.GetValueOrDefault(start);
        }

        private string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        // Ports given out: a node binds its port only once it has started, so the next node's free port may be the same one.
        private static readonly HashSet<int> PortsGiven = [];

        private static int FreePort()
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                lock (PortsGiven)
                    if (PortsGiven.Add(port))
                        return port;
            }
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
                var errors = Output.Split('\n').Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).Take(10).ToList();
                if (errors.Count > 0)
                    Console.WriteLine($"node {BaseAddress} logged errors, first {errors.Count}:\n  {string.Join("\n  ", errors)}");
            }
            finally
            {
                _process.Dispose();
                _cpuLimit?.Dispose();
            }
        }
    }
}
