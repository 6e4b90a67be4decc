using System.Data.Common;
using System.Diagnostics;
using MerchantConsole.Data;
using MerchantConsole.Data.Migrations.PostgreSql;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// <c>members [members] [repeats]</c>: the member grid (<see cref="MemberQueries.ListAsync"/>, the page's one call) at N
/// members — first page, a page deep in the list (next from a row half-way down, and a jump to that page number), search
/// by phone prefix and by card number — each with the count the grid shows, beside the shortest raw SQL for the same
/// rows and count on the same database in the same run (SQLite, or PostgreSQL with <c>--provider PostgreSql</c>; there also a
/// name search with and without the trigram index). See README, Benchmarks.
/// </summary>
internal static class MemberGridBenchmark
{
    private const int PageSize = 20;

    public static async Task RunAsync(BenchOptions options)
    {
        var args = options.Positional;
        var members = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var repeats = args.Length > 1 ? int.Parse(args[1]) : 200;
        var showPlans = args.Contains("plans");
        // keep=<folder>: generate into that folder once and keep it; later runs with the same folder and count reuse it.
        var keep = args.FirstOrDefault(a => a.StartsWith("keep=", StringComparison.Ordinal))?["keep=".Length..];
        await using var database = await BenchDatabase.CreateAsync(options, "members", keep is null ? null : Path.GetFullPath(keep));
        var folder = database.Folder;
        var postgres = database.IsPostgreSql;
        var clock = TimeProvider.System;
        var contexts = new ProviderContextOptions(database.Database, folder, new SaveStampingInterceptor(clock, new NoTrigger()));
        {
            await contexts.MigrateAsync();
            var reuse = false;
            await using (var db = contexts.CreateAcrossMerchants("bench"))
                reuse = (keep is not null || database.Existed) && await db.Merchants.AnyAsync(x => x.Code == "bench-members");
            var now = clock.GetUtcNow();
            Console.WriteLine($"Member grid benchmark — {Environment.ProcessorCount} cores, {members:N0} members, {repeats} runs each, {database.Description}");
            Merchant merchant;
            DateTimeOffset first;
            if (reuse)
            {
                await using var db = contexts.CreateAcrossMerchants("bench");
                merchant = await db.Merchants.AsNoTracking().SingleAsync(x => x.Code == "bench-members");
                await using var scoped = contexts.CreateForMerchant(merchant.Id, "bench");
                first = await scoped.Memberships.MinAsync(x => x.JoinedAt);
                Console.WriteLine("reusing the generated members");
            }
            else
            {
                merchant = Merchant.Create("Bench members", "bench-members", "Asia/Shanghai", "CNY", now);
                await using (var db = contexts.Create(new MerchantScope()))
                {
                    db.Merchants.Add(merchant);
                    await db.SaveChangesAsync();
                }
                var sw = Stopwatch.StartNew();
                // Member i joined i seconds after the first, so the newest is the last generated.
                first = now.AddSeconds(-members);
                await GrantBenchmark.GenerateMembersAsync(contexts, merchant, members, now, i => first.AddSeconds(i));
                Console.WriteLine($"generated {members:N0} customers + memberships (bulk, counts kept by the triggers): {sw.Elapsed.TotalSeconds:N1} s");
            }
            // The planner statistics the app refreshes at start and hourly (SqliteStatisticsJob; ANALYZE on the servers).
            if (postgres)
                await using (var db = contexts.CreateForMerchant(merchant.Id, "bench"))
                    await db.Database.ExecuteSqlRawAsync("ANALYZE;");
            else
                await new SqliteStatisticsJob(contexts, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteStatisticsJob>.Instance).RunAsync(CancellationToken.None);
            await using (var db = contexts.CreateForMerchant(merchant.Id, "bench"))
            {
                Console.WriteLine($"maintained count: {await db.MemberCounts.SumAsync(c => c.Count):N0}");
            }

            var scope = new MerchantScope();
            scope.UseMerchant(merchant.Id, "bench@members");
            var queries = new MemberQueries(new MerchantDbContextFactory(contexts, scope));
            await using var raw = contexts.CreateForMerchant(merchant.Id, "bench");
            var connection = raw.Database.GetDbConnection();
            await connection.OpenAsync();
            var m = merchant.Id.ToString().ToUpperInvariant();

            // Half-way down: the row after which the deep page starts (the newest is i = N - 1).
            var deepIndex = members / 2;
            var deepPage = deepIndex / PageSize;
            var cursorRow = members - 1 - deepPage * PageSize + 1;
            var cursor = new MemberCursor(first.AddSeconds(cursorRow), Card(cursorRow));
            var phonePrefix = $"139{members / 2:00000000}"[..^3];
            var card = Card(members / 3);
            const string rowColumns = """m."Id", m."CustomerId", m."PlanId", m."TierId", m."Status", m."JoinedAt", m."ExpiresAt", m."CardNumber", c."Name", c."Phone" """;
            const string order = """ORDER BY m."JoinedAt" DESC, m."CardNumber" DESC""";
            var binary = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter();
            // SQLite stores an instant as a sortable integer, PostgreSQL as timestamptz (ARCHITECTURE.md, Database providers).
            var cursorAt = postgres ? $"'{cursor.JoinedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'" : ((long)binary.ConvertToProvider(cursor.JoinedAt)!).ToString();
            // A name prefix: SQLite's LIKE ignores case, PostgreSQL's ILIKE does (what PostgreSqlCaseInsensitiveLike makes of the grid's LIKE).
            // Names are 会员 + i: this prefix (N / 7 without its last two digits) matches 1 + 10 + 100 of them, e.g. 会员1428 at N = 1,000,000.
            var namePrefix = $"会员{members / 7}"[..^2];
            var like = postgres ? "ILIKE" : "LIKE";
            var (lo, hi) = (phonePrefix, phonePrefix[..^1] + (char)(phonePrefix[^1] + 1));
            // The count the grid shows for an unsearched list, as the shortest SQL gets it on this schema: the maintained counts.
            var rawCountAll = $"""SELECT coalesce(sum("Count"), 0) FROM "MemberCounts" WHERE "MerchantId" = '{m}'""";
            var rawCountStar = $"""SELECT count(*) FROM "Memberships" WHERE "MerchantId" = '{m}'""";

            var scenarios = new (string Name, MemberListQuery Query, string RawPage, string? RawCount, int ExpectRows)[]
            {
                ("first page", new(null, null, null, null, PageSize),
                    $"""SELECT {rowColumns} FROM "Memberships" m JOIN "Customers" c ON c."Id" = m."CustomerId" WHERE m."MerchantId" = '{m}' {order} LIMIT {PageSize}""",
                    rawCountAll, PageSize),
                ($"next page at row {deepPage * PageSize:N0}", new(null, null, null, null, PageSize, After: cursor),
                    $"""SELECT {rowColumns} FROM "Memberships" m JOIN "Customers" c ON c."Id" = m."CustomerId" WHERE m."MerchantId" = '{m}' AND (m."JoinedAt", m."CardNumber") < ({cursorAt}, '{cursor.CardNumber}') {order} LIMIT {PageSize}""",
                    rawCountAll, PageSize),
                ($"jump to page {deepPage + 1:N0}", new(null, null, null, null, PageSize, JumpToPage: deepPage),
                    // The page's keys found by OFFSET over the covering index, then only its rows joined.
                    $"""SELECT {rowColumns} FROM (SELECT "JoinedAt", "CardNumber" FROM "Memberships" WHERE "MerchantId" = '{m}' ORDER BY "JoinedAt" DESC, "CardNumber" DESC LIMIT {PageSize} OFFSET {deepPage * PageSize}) k JOIN "Memberships" m ON m."MerchantId" = '{m}' AND m."CardNumber" = k."CardNumber" JOIN "Customers" c ON c."Id" = m."CustomerId" {order}""",
                    rawCountAll, PageSize),
                ($"phone prefix {phonePrefix}", new(phonePrefix, null, null, null, PageSize),
                    $"""SELECT {rowColumns} FROM "Customers" c JOIN "Memberships" m ON m."CustomerId" = c."Id" WHERE c."MerchantId" = '{m}' AND c."Phone" >= '{lo}' AND c."Phone" < '{hi}' {order} LIMIT {PageSize}""",
                    $"""SELECT count(*) FROM "Customers" c JOIN "Memberships" m ON m."CustomerId" = c."Id" WHERE c."MerchantId" = '{m}' AND c."Phone" >= '{lo}' AND c."Phone" < '{hi}'""",
                    PageSize),
                ($"card number {CardNumbers.Display(card)}", new(CardNumbers.Display(card), null, null, null, PageSize),
                    // One row, fewer than a page: the page is its own count.
                    $"""SELECT {rowColumns} FROM "Memberships" m JOIN "Customers" c ON c."Id" = m."CustomerId" WHERE m."MerchantId" = '{m}' AND m."CardNumber" = '{card}'""",
                    null, 1),
                ($"name prefix {namePrefix}", new(namePrefix, null, null, null, PageSize),
                    $"""SELECT {rowColumns} FROM "Customers" c JOIN "Memberships" m ON m."CustomerId" = c."Id" WHERE c."MerchantId" = '{m}' AND c."Name" {like} '{namePrefix}%' {order} LIMIT {PageSize}""",
                    $"""SELECT count(*) FROM "Customers" c JOIN "Memberships" m ON m."CustomerId" = c."Id" WHERE c."MerchantId" = '{m}' AND c."Name" {like} '{namePrefix}%'""",
                    PageSize),
            };

            if (showPlans)
                foreach (var (name, query, _, _, _) in scenarios)
                {
                    Console.WriteLine($"--- {name}: the grid's commands, their time and the database's plan");
                    using var capture = new CommandCapture();
                    await queries.ListAsync(query);
                    foreach (var (sql, parameters, ms) in capture.Commands)
                    {
                        Console.WriteLine($"{ms,8:F2} ms  {sql.ReplaceLineEndings(" ")}");
                        await using var explain = connection.CreateCommand();
                        explain.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
                        foreach (var (pname, value) in parameters)
                        {
                            var parameter = explain.CreateParameter();
                            parameter.ParameterName = pname;
                            parameter.Value = value ?? DBNull.Value;
                            explain.Parameters.Add(parameter);
                        }
                        await using var reader = await explain.ExecuteReaderAsync();
                        while (await reader.ReadAsync())
                            Console.WriteLine($"             plan: {reader.GetString(postgres ? 0 : 3)}");
                    }
                }

            Console.WriteLine($"{"",-32} {"grid p50",9} {"grid p95",9} {"raw p50",9} {"raw p95",9} {"ratio p50",9}   rows, count shown / raw count");
            async Task TimeScenarioAsync(string name, MemberListQuery query, string rawPage, string? rawCount, int expectRows)
            {
                var result = await queries.ListAsync(query);
                var (rawRows, rawTotal) = await RawAsync(connection, rawPage, rawCount);
                if (result.Rows.Count != expectRows || rawRows != expectRows)
                    throw new InvalidOperationException($"{name}: the grid read {result.Rows.Count} rows, raw SQL {rawRows}; expected {expectRows}");
                var grid = await TimeAsync(repeats, () => queries.ListAsync(query));
                var rawTimes = await TimeAsync(repeats, () => RawAsync(connection, rawPage, rawCount));
                Console.WriteLine($"{name,-32} {Pct(grid, 0.5),9:F2} {Pct(grid, 0.95),9:F2} {Pct(rawTimes, 0.5),9:F2} {Pct(rawTimes, 0.95),9:F2} {Pct(grid, 0.5) / Pct(rawTimes, 0.5),9:F2}   " +
                    $"{result.Rows.Count}, {(result.TotalIsAtLeast ? "> " : "")}{result.Total:N0} / {(rawCount is null ? rawRows : rawTotal):N0}");
            }
            foreach (var (name, query, rawPage, rawCount, expectRows) in scenarios)
                await TimeScenarioAsync(name, query, rawPage, rawCount, expectRows);
            if (postgres)
            {
                // The trigram index's effect: the name search again without it, then the index made again as the migration makes it.
                var (name, query, rawPage, rawCount, expectRows) = scenarios[^1];
                await using (var drop = connection.CreateCommand())
                {
                    drop.CommandText = $"""DROP INDEX "{PostgreSqlTrigramSearch.CustomerNameIndex}" """;
                    await drop.ExecuteNonQueryAsync();
                }
                try
                {
                    await TimeScenarioAsync(name + " (no trigram)", query, rawPage, rawCount, expectRows);
                }
                finally
                {
                    await using var create = connection.CreateCommand();
                    create.CommandText = PostgreSqlTrigramSearch.CreateCustomerNameIndex;
                    create.CommandTimeout = 0;
                    await create.ExecuteNonQueryAsync();
                }
            }
            var countStar = await TimeAsync(Math.Min(repeats, 20), async () =>
            {
                await using var counting = connection.CreateCommand();
                counting.CommandText = rawCountStar;
                return await counting.ExecuteScalarAsync();
            });
            Console.WriteLine($"for comparison, count(*) over the merchant's memberships: p50 {Pct(countStar, 0.5):F2} ms, p95 {Pct(countStar, 0.95):F2} ms");

            // The same pages without their counts: the page alone against its raw SELECT.
            Console.WriteLine("pages alone (raw SELECT without count(*)):");
            foreach (var (name, _, rawPage, _, _) in scenarios)
            {
                var rawTimes = await TimeAsync(repeats, () => RawAsync(connection, rawPage, null));
                Console.WriteLine($"{name,-32} raw page p50 {Pct(rawTimes, 0.5):F2} ms, p95 {Pct(rawTimes, 0.95):F2} ms");
            }
            Console.WriteLine($"process peak memory: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB");
        }
    }

    private static string Card(int i)
    {
        var body = $"88{i:000000000}";
        return body + CardNumbers.CheckDigit(body);
    }

    private static async Task<(int Rows, long Total)> RawAsync(DbConnection connection, string page, string? count, DbTransaction? transaction = null)
    {
        var rows = 0;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = page;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var f = 0; f < reader.FieldCount; f++)
                    _ = reader.GetValue(f);
                rows++;
            }
        }
        if (count is null)
            return (rows, 0);
        await using var counting = connection.CreateCommand();
        counting.Transaction = transaction;
        counting.CommandText = count;
        // PostgreSQL's sum of bigints is numeric.
        return (rows, Convert.ToInt64(await counting.ExecuteScalarAsync()));
    }

    private static async Task<List<double>> TimeAsync<T>(int repeats, Func<Task<T>> action)
    {
        for (var i = 0; i < 5; i++)
            await action();
        var times = new List<double>(repeats);
        var sw = new Stopwatch();
        for (var i = 0; i < repeats; i++)
        {
            sw.Restart();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
}

/// <summary>The commands EF runs while it is alive (EF's diagnostic events), for the benchmark's <c>plans</c> option.</summary>
internal sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];

    public CommandCapture() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public List<(string Sql, List<(string Name, object? Value)> Parameters, double Ms)> Commands { get; } = [];

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
            _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData executed)
            Commands.Add((executed.Command.CommandText,
                executed.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList(),
                executed.Duration.TotalMilliseconds));
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
            subscription.Dispose();
    }
}
