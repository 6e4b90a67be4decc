using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Data;

/// <summary>
/// Keeps the embedded database's planner statistics (<c>sqlite_stat1</c>) fresh: at start, after migrations and seeding,
/// and hourly (recurring <c>sqlite-statistics</c>). Without them SQLite guesses that an equality on any index's first
/// column matches about ten rows, so a lookup like "these 16 payment ids of this merchant" walks every order of the
/// merchant through the (MerchantId, …) index instead of 16 seeks on the unique payment-id index; with them it knows a
/// merchant has thousands of rows (ARCHITECTURE.md, Data). <c>analysis_limit</c> makes SQLite sample each index instead of
/// reading it whole, so a run takes milliseconds at a million rows. The database servers keep their own statistics.
/// </summary>
public sealed class SqliteStatisticsJob(ProviderContextOptions contexts, ILogger<SqliteStatisticsJob> logger)
{
    public const string RecurringJobId = "sqlite-statistics";
    // Rows SQLite reads per index: enough for the shape of the data, cheap at any size.
    private const int RowsSampledPerIndex = 1000;

    public async Task RunAsync(CancellationToken ct)
    {
        if (contexts.Provider != DatabaseProvider.Sqlite)
            return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var db = contexts.Create(new MerchantScope());
        await db.Database.ExecuteSqlRawAsync($"PRAGMA analysis_limit={RowsSampledPerIndex}; ANALYZE;", ct);
        logger.LogInformation("Refreshed the SQLite planner statistics in {Elapsed:F0} ms", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
