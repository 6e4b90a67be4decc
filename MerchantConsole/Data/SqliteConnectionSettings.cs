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
    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

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
