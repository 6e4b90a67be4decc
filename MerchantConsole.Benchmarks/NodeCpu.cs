using System.Diagnostics;
using System.Globalization;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// <c>--node-cpus X</c>: each app node limited to X cores' worth of CPU time through a Linux cgroup of its own (v2's
/// <c>cpu.max</c> or v1's CFS quota; needs root), as if each ran on its own machine of X cores. On a machine where the
/// nodes, the database and the senders share a few cores, this is how adding a node can be measured as adding capacity:
/// without it a second node only splits the same cores.
/// </summary>
internal sealed class NodeCpuLimit : IDisposable
{
    // A short period: a node that spends its quota early in a period is held back for the rest of it, and with the
    // default 100 ms that pause alone lengthened callback answers by tens of milliseconds.
    private const int PeriodMicroseconds = 10_000;
    private readonly string _folder;

    private NodeCpuLimit(string folder) => _folder = folder;

    public static NodeCpuLimit Apply(int processId, double cores)
    {
        var quota = (int)Math.Round(cores * PeriodMicroseconds);
        var name = $"mc-bench-node-{processId}";
        string folder;
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            folder = Path.Combine("/sys/fs/cgroup", name);
            File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+cpu");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "cpu.max"), $"{quota} {PeriodMicroseconds}");
        }
        else if (Directory.Exists("/sys/fs/cgroup/cpu"))
        {
            folder = Path.Combine("/sys/fs/cgroup/cpu", name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(folder, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
        }
        else
            throw new PlatformNotSupportedException("--node-cpus needs Linux cgroups (/sys/fs/cgroup) and root.");
        // Moves every thread of the process (cgroup.procs takes the whole process, on v1 too).
        File.WriteAllText(Path.Combine(folder, "cgroup.procs"), processId.ToString(CultureInfo.InvariantCulture));
        return new NodeCpuLimit(folder);
    }

    /// <summary>Removes the cgroup once its process has exited (a cgroup with a process in it cannot be removed).</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder);
        }
        catch (IOException) { }
    }
}

/// <summary>CPU time of the nodes, PostgreSQL's processes, this process and the whole machine, between two readings.</summary>
internal sealed record CpuReading(TimeSpan Nodes, TimeSpan Database, TimeSpan Senders, long MachineBusyTicks, long MachineTicks)
{
    public static CpuReading Take(IEnumerable<Process> nodes)
    {
        var machine = ReadMachineTicks();
        return new CpuReading(Sum(nodes), ProcessesNamed("postgres"), Process.GetCurrentProcess().TotalProcessorTime, machine.Busy, machine.Total);
    }

    public CpuUse Since(CpuReading before, int orders) => new(
        (Nodes - before.Nodes).TotalMilliseconds / orders,
        (Database - before.Database).TotalMilliseconds / orders,
        (Senders - before.Senders).TotalMilliseconds / orders,
        MachineTicks == before.MachineTicks ? double.NaN : 100.0 * (MachineBusyTicks - before.MachineBusyTicks) / (MachineTicks - before.MachineTicks));

    private static TimeSpan Sum(IEnumerable<Process> processes)
    {
        var total = TimeSpan.Zero;
        foreach (var process in processes)
        {
            try
            {
                process.Refresh();
                total += process.TotalProcessorTime;
            }
            catch (InvalidOperationException) { } // exited meanwhile (a PostgreSQL backend whose connection closed)
        }
        return total;
    }

    /// <summary>
    /// User and system time of every process whose command is <paramref name="command"/>, from /proc/[pid]/stat (the
    /// server's processes belong to another user; a backend that exited meanwhile is not counted).
    /// </summary>
    private static TimeSpan ProcessesNamed(string command)
    {
        var ticks = 0L;
        foreach (var folder in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException) { continue; }
            var close = stat.LastIndexOf(')');
            if (close < 0 || stat[(stat.IndexOf('(') + 1)..close] != command)
                continue;
            ticks += TicksOf(stat);
        }
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>
    /// User and system clock ticks from a /proc/[pid]/stat or /proc/[pid]/task/[tid]/stat line: "pid (comm) state …",
    /// utime and stime the 14th and 15th fields, the 12th and 13th after the comm (which may hold spaces and parentheses).
    /// </summary>
    internal static long TicksOf(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    // USER_HZ: 100 on Linux on every common architecture.
    internal const int ClockTicksPerSecond = 100;

    /// <summary>The first line of /proc/stat: busy (all but idle and iowait) and total jiffies since boot.</summary>
    private static (long Busy, long Total) ReadMachineTicks()
    {
        if (!File.Exists("/proc/stat"))
            return (0, 0);
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}

/// <summary>
/// CPU time of the runtime's background recompiler (the thread ".NET Tiered Com…", which compiles hot methods again,
/// optimised, once they have been called often enough) in the given processes, from /proc/[pid]/task/[tid], sampled every
/// 200 ms: the thread exits when it has had nothing to do for a few seconds, and its time with it. Until it is quiet a node
/// is still warming up, and a throughput measured then counts compiling, not serving.
/// </summary>
internal sealed class RecompilerWatch : IAsyncDisposable
{
    private const string ThreadName = ".NET Tiered Com";
    private readonly IReadOnlyList<Process> _processes;
    private readonly Dictionary<string, long> _lastTicks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _ticks;

    public RecompilerWatch(IEnumerable<Process> processes)
    {
        _processes = [.. processes];
        Sample();
        _ticks = 0;
        _sampling = SampleUntilStoppedAsync();
    }

    /// <summary>The recompiler's CPU time since the watch started.</summary>
    public TimeSpan Total
    {
        get
        {
            lock (_lastTicks)
            {
                Sample();
                return TimeSpan.FromSeconds(_ticks / (double)CpuReading.ClockTicksPerSecond);
            }
        }
    }

    private async Task SampleUntilStoppedAsync()
    {
        try
        {
            while (true)
            {
                lock (_lastTicks)
                    Sample();
                await Task.Delay(200, _stop.Token);
            }
        }
        catch (OperationCanceledException) { }
    }

    // A thread seen for the first time after the first sample counts from its start; one that exited keeps what it had
    // when last sampled.
    private void Sample()
    {
        foreach (var process in _processes)
        {
            try
            {
                foreach (var thread in Directory.EnumerateDirectories($"/proc/{process.Id}/task"))
                {
                    try
                    {
                        if (!File.ReadAllText(Path.Combine(thread, "comm")).StartsWith(ThreadName, StringComparison.Ordinal))
                            continue;
                        var ticks = CpuReading.TicksOf(File.ReadAllText(Path.Combine(thread, "stat")));
                        _ticks += ticks - _lastTicks.GetValueOrDefault(thread);
                        _lastTicks[thread] = ticks;
                    }
                    catch (IOException) { } // the thread ended meanwhile
                }
            }
            catch (IOException) { } // the process exited (or this is not Linux): nothing more of it to count
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}

/// <summary>CPU milliseconds per order fulfilled (app nodes, PostgreSQL, the benchmark's senders) and how busy the machine was, in %.</summary>
internal sealed record CpuUse(double NodesPerOrder, double DatabasePerOrder, double SendersPerOrder, double MachineBusyPercent);
