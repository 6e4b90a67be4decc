using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
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
    // mmap_size: a connection whose page cache another's commit made stale reads the file's pages through a memory map
    // (the first 256 MiB) instead of a pread copy each. wal_autocheckpoint: SqliteCheckpointer copies the log into the
    // file in the background; this threshold (100,000 pages, ~400 MiB) is only the backstop should it fall behind, since
    // the commit that crosses it does the copying and the sync itself. At 10,000 pages busy bursts still crossed it
    // between two background runs: the fulfilment benchmark's answer p99 was 168 ms instead of 58 (README, Benchmarks).
    private const string Pragmas = "PRAGMA synchronous=NORMAL; " + BusyTimeout + " PRAGMA mmap_size=268435456; PRAGMA wal_autocheckpoint=100000;";

    /// <summary>The wait for the write lock every connection sets, EF's and the prepared reads' (<see cref="SqlitePreparedReads"/>).</summary>
    internal const string BusyTimeout = "PRAGMA busy_timeout=10000;";

    // A setting lasts as long as the native connection, which the pool hands out again and again: set it once per
    // native connection (its handle), not on every open, so a read costs its own statement only.
    private static readonly ConditionalWeakTable<object, object> Configured = new();
    private static readonly object Marker = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsConfigured(connection))
            return;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
        MarkConfigured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsConfigured(connection))
            return;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        MarkConfigured(connection);
    }

    private static bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            Configured.AddOrUpdate(handle, Marker);
    }
}
