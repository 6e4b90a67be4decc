using System.Diagnostics;
using MerchantConsole.Data;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Figures for the paths that grow with use: outbox delivery and merchant-scoped reads on a shared
// table. Runs against a fresh SQLite file built by the migrations, like the embedded default.
// Usage: dotnet run -c Release --project MerchantConsole.Benchmarks [messages] [rowsPerMerchant]
//        dotnet run -c Release --project MerchantConsole.Benchmarks -- grant [members=1000000] [redemptions=1000]
//        dotnet run -c Release --project MerchantConsole.Benchmarks -- fulfil [orders=10000] [concurrency=16] [duplicateEvery=4] [warmUp=0]
//        dotnet run -c Release --project MerchantConsole.Benchmarks -- members [members=1000000] [repeats=200]
// grant, fulfil and members also take --provider PostgreSql --connection "Host=…" [--keep [database]], fulfil --nodes N (BenchOptions).
if (args.FirstOrDefault() == "fulfil")
{
    var options = MerchantConsole.Benchmarks.BenchOptions.Parse(args[1..]);
    if (options.Nodes is { } nodes)
        await MerchantConsole.Benchmarks.BenchNodes.RunAsync(options, nodes);
    else
        await MerchantConsole.Benchmarks.FulfilmentBenchmark.RunAsync(options);
    return;
}
if (args.FirstOrDefault() == "members")
{
    await MerchantConsole.Benchmarks.MemberGridBenchmark.RunAsync(MerchantConsole.Benchmarks.BenchOptions.Parse(args[1..]));
    return;
}
if (args.FirstOrDefault() == "grant")
{
    await MerchantConsole.Benchmarks.GrantBenchmark.RunAsync(MerchantConsole.Benchmarks.BenchOptions.Parse(args[1..]));
    return;
}

var messages = args.Length > 0 ? int.Parse(args[0]) : 2_000;
var rowsPerMerchant = args.Length > 1 ? int.Parse(args[1]) : 5_000;
const int merchantCount = 20;

var folder = Path.Combine(Path.GetTempPath(), "mc-bench", Guid.NewGuid().ToString("N"));
var contexts = new ProviderContextOptions(new DatabaseOptions { DataFolder = folder }, folder,
    new SaveStampingInterceptor(TimeProvider.System, new NoTrigger()));
try
{
    await contexts.MigrateAsync();

    var merchants = new List<Merchant>();
    await using (var db = contexts.Create(new MerchantScope()))
    {
        for (var i = 0; i < merchantCount; i++)
            merchants.Add(Merchant.Create($"Bench {i}", $"bench-{i}", "Asia/Shanghai", "CNY", DateTimeOffset.UtcNow));
        db.Merchants.AddRange(merchants);
        await db.SaveChangesAsync();
    }

    Console.WriteLine($"MerchantConsole benchmarks — {Environment.ProcessorCount} cores, {merchantCount} merchants, SQLite at {folder}");

    // 1. Writing audit rows through the interceptor (stamp + guard), then scoped reads among all merchants' rows.
    var sw = Stopwatch.StartNew();
    foreach (var merchant in merchants)
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchant.Id, "bench");
        await using var db = contexts.Create(scope);
        for (var i = 0; i < rowsPerMerchant; i++)
            db.AuditEntries.Add(new AuditEntry { At = DateTimeOffset.UtcNow, UserName = "bench", EntityType = "Row", EntityId = i.ToString(), Action = "Note" });
        await db.SaveChangesAsync();
    }
    sw.Stop();
    var total = merchantCount * rowsPerMerchant;
    Console.WriteLine($"insert {total:N0} merchant-owned rows: {sw.ElapsedMilliseconds:N0} ms ({total / sw.Elapsed.TotalSeconds:N0} rows/s)");

    var reader = new MerchantScope();
    reader.UseMerchant(merchants[merchantCount / 2].Id, "bench");
    var latencies = new List<double>();
    for (var i = 0; i < 200; i++)
    {
        sw.Restart();
        await using var db = contexts.Create(reader);
        var page = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Skip(i % 10 * 25).Take(25).ToListAsync();
        sw.Stop();
        if (page.Count != 25) throw new InvalidOperationException("expected a full page");
        latencies.Add(sw.Elapsed.TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine($"scoped page of 25 among {total:N0} rows: p50 {latencies[latencies.Count / 2]:F2} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F2} ms");

    // 2. Outbox: write messages, then deliver them all through the dispatcher with a handler that writes a row.
    await using (var db = contexts.Create(new MerchantScope()))
    {
        for (var i = 0; i < messages; i++)
            db.OutboxMessages.Add(OutboxMessage.For(merchants[i % merchantCount].Id, new BenchPing(i), DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }
    var dispatcher = new OutboxDispatcher(contexts, [new BenchHandler()], TimeProvider.System,
        Options.Create(new OutboxOptions { BatchSize = 200 }), NullLogger<OutboxDispatcher>.Instance);
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    sw.Restart();
    var delivered = await dispatcher.DispatchAsync(CancellationToken.None);
    sw.Stop();
    var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
    Console.WriteLine($"outbox: delivered {delivered:N0}/{messages:N0} messages in {sw.ElapsedMilliseconds:N0} ms ({delivered / sw.Elapsed.TotalSeconds:N0} msg/s), {allocated / (double)delivered / 1024:F1} KiB allocated per message");
    Console.WriteLine($"process: working set {Environment.WorkingSet / 1024 / 1024:N0} MiB, GC heap {GC.GetTotalMemory(false) / 1024 / 1024:N0} MiB");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
}

internal sealed record BenchPing(int Number);

internal sealed class BenchHandler : MessageHandler<BenchPing>
{
    protected override Task HandleAsync(BenchPing message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(new AuditEntry { At = envelope.OccurredAt, UserName = "bench", EntityType = "Ping", EntityId = message.Number.ToString(), Action = "Effect" });
        return Task.CompletedTask;
    }
}

internal sealed class NoTrigger : IOutboxTrigger
{
    public void Trigger() { }
}
