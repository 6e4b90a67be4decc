using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace MerchantConsole.Data;

/// <summary>
/// A few open, query-only connections to the embedded SQLite file, each keeping the statements it has run prepared. For the
/// reads that are a single indexed statement of a fraction of a millisecond (the member grid's pages), EF's fixed cost per
/// call — a context, parsing the SQL again, binding through type mappings — is several times the statement itself; here a
/// read costs binding its parameters and stepping the prepared statement. The SQL and the reading of rows belong to the caller.
/// </summary>
/// <remarks>
/// WAL mode: an idle connection holds no read transaction, so it never holds back a checkpoint, and each statement sees
/// every commit made before it started. SQLite prepares a statement again by itself after a migration changed the schema.
/// </remarks>
public sealed class SqlitePreparedReads(string connectionString) : IDisposable
{
    // More than the cores: a read that waits for the disk keeps its connection; beyond this many idle, extra ones are closed.
    private static readonly int MaxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private readonly ConcurrentBag<PreparedConnection> _idle = [];
    private volatile bool _disposed;
    private long _statementsRun;

    /// <summary>Statements run so far (what the tests count: a page is one statement).</summary>
    public long StatementsRun => Interlocked.Read(ref _statementsRun);

    /// <summary>Runs <paramref name="sql"/> (prepared once per connection) with these parameters and maps each row.</summary>
    public async Task<List<T>> ReadAsync<T>(string sql, IReadOnlyList<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = _idle.TryTake(out var idle) ? idle : await PreparedConnection.OpenAsync(connectionString, cancellationToken);
        var healthy = false;
        try
        {
            var command = connection.Command(sql);
            command.Parameters.Clear();
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            var rows = new List<T>();
            Interlocked.Increment(ref _statementsRun);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    rows.Add(map(reader));
            healthy = true;
            return rows;
        }
        finally
        {
            // A connection whose read failed (cancelled, busy, corrupt) is not trusted again.
            if (healthy && !_disposed && _idle.Count < MaxIdle)
                _idle.Add(connection);
            else
                connection.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
            connection.Dispose();
    }

    private sealed class PreparedConnection : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        private PreparedConnection(SqliteConnection connection) => _connection = connection;

        public static async Task<PreparedConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            // Not from Microsoft.Data.Sqlite's pool: this connection lives as long as its prepared statements.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using (var settings = connection.CreateCommand())
            {
                settings.CommandText = "PRAGMA query_only=1; " + SqliteConnectionSettings.BusyTimeout;
                await settings.ExecuteNonQueryAsync(cancellationToken);
            }
            return new PreparedConnection(connection);
        }

        public SqliteCommand Command(string sql)
        {
            if (_commands.TryGetValue(sql, out var command))
                return command;
            command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Prepare();
            _commands[sql] = command;
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
                command.Dispose();
            _connection.Dispose();
        }
    }
}
