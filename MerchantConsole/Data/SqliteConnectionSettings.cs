using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MerchantConsole.Data;

/// <summary>
/// Per-connection settings of the embedded SQLite database (the journal mode is the file's, set once at migration).
/// In WAL mode <c>synchronous=NORMAL</c> syncs at checkpoints instead of at every commit: the file can never be
/// corrupted, and a power cut can lose only the last commits (ARCHITECTURE.md, "Data"). It took each grant batch's
/// commit from ~170 ms to a few ms.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    // busy_timeout: a writer that finds the lock taken waits inside SQLite (sleeps of 1 ms growing to 100 ms) instead of
    // Microsoft.Data.Sqlite's own retry, which sleeps 150 ms at a time; writes here hold the lock for milliseconds.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
