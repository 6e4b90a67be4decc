using Microsoft.Data.Sqlite;

namespace MerchantConsole.Data;

/// <summary>
/// Copies the embedded database's write-ahead log into the file in the background, once a second, so a commit
/// never does it. Left to SQLite, the commit that takes the log past its threshold (<c>wal_autocheckpoint</c>) copies
/// it and syncs the file before it returns: on the fulfilment benchmark one commit in fifty took 100–200 ms that way,
/// and every callback waiting behind it waited as long (README, Benchmarks). A passive checkpoint waits for no reader
/// or writer; once it has copied the whole log, the next writer starts the log again from its beginning, so it stays
/// below the threshold, which remains as the backstop. On the database servers this is theirs to do.
/// </summary>
public sealed class SqliteCheckpointer(ProviderContextOptions contexts, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    // Every 250 ms stalled fewer commits but cost throughput (its copying competes for the two cores); every second was best.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (contexts.Provider != DatabaseProvider.Sqlite)
            return;
        // Its own connection, never the pool's; ReadWrite, not create: before the migrations have made the file, wait for them.
        var connectionString = new SqliteConnectionStringBuilder(contexts.ConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString();
        SqliteConnection? connection = null;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(connectionString);
                        await connection.OpenAsync(stoppingToken);
                    }
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException e)
                {
                    // No file yet, or a moment of trouble: the writers' own threshold still checkpoints; try again later.
                    logger.LogDebug(e, "A background WAL checkpoint failed");
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
