using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantConsole.Tests.Data;

public sealed class SqliteCheckpointerTests
{
    private const int PageSize = 4096;

    /// <summary>
    /// About 8 MiB committed through the app's own connection settings stays in the log (the writers' threshold is
    /// 10,000 pages), so the database file does not grow until a checkpoint copies it there: the background one does.
    /// </summary>
    [Fact]
    public async Task CommittedPagesReachTheDatabaseFileWithoutAnyCommitCheckpointing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var file = new SqliteConnectionStringBuilder(database.Contexts.ConnectionString).DataSource;
        // SQLite checkpoints when the last connection to a file closes, as when another test clears the connection pools:
        // one held open for the whole test keeps that from happening.
        await using var keepOpen = new SqliteConnection(new SqliteConnectionStringBuilder(database.Contexts.ConnectionString) { Pooling = false }.ToString());
        await keepOpen.OpenAsync();
        await using (var read = keepOpen.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_master"; // a connection joins the log at its first read
            await read.ExecuteScalarAsync();
        }
        await using (var db = database.Unscoped())
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE checkpoint_probe (payload BLOB NOT NULL)");
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        var before = new FileInfo(file).Length;
        var written = 2_000L * PageSize;

        await using (var db = database.Unscoped())
        {
            await db.Database.OpenConnectionAsync();
            for (var i = 0; i < 2_000; i++)
                await db.Database.ExecuteSqlRawAsync("INSERT INTO checkpoint_probe VALUES (randomblob({0}))", PageSize - 100);
        }
        await Task.Delay(1_500);
        Assert.True(new FileInfo(file).Length < before + written / 2, "the writers checkpointed by themselves: the test proves nothing");

        var checkpointer = new SqliteCheckpointer(database.Contexts, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (new FileInfo(file).Length < before + written && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.True(new FileInfo(file).Length >= before + written, $"the file grew by {new FileInfo(file).Length - before} bytes only");
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }
}
