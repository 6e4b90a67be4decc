using System.Data.Common;
using Npgsql;

namespace MerchantConsole.Data;

/// <summary>
/// Statements over the EF model's columns (<see cref="MappedColumn"/>), run in the caller's transaction in the order they
/// were added, answering how many rows each touched. On PostgreSQL they go to the server together, in one round trip
/// (a batch of prepared statements): a fulfilment chunk writes some eight rows per order, and each statement sent on its
/// own cost the node more CPU (an awaited round trip: a send, a wake-up, a read) than the database spent on its row.
/// Elsewhere each distinct statement is prepared once and run again with rebound parameters. Either way the first statement
/// that fails stops the rest; its position is in <see cref="FailedAt"/>, and the caller's transaction is to be rolled back.
/// </summary>
public sealed class RowStatements(DbConnection connection, DbTransaction transaction)
{
    // A round trip carries at most this many: a grant's thousands of coupons go as a few batches, not one huge message.
    private const int PerRoundTrip = 500;

    private readonly List<(string Sql, IReadOnlyList<(MappedColumn Column, object? Value)> Values)> _statements = [];

    /// <summary>After a <see cref="DbException"/> from <see cref="RunAsync"/>: the position of the statement that failed, if known.</summary>
    public int? FailedAt { get; private set; }

    /// <summary>A statement whose parameters are <c>@p0</c>, <c>@p1</c>… bound, in that order, to <paramref name="values"/>.</summary>
    public void Add(string sql, IReadOnlyList<(MappedColumn Column, object? Value)> values) => _statements.Add((sql, values));

    /// <summary>Runs the statements added since the last run; how many rows each touched, by position.</summary>
    public async Task<int[]> RunAsync(CancellationToken ct)
    {
        FailedAt = null;
        try
        {
            return _statements.Count == 0 ? []
                : connection is NpgsqlConnection ? await TogetherAsync(ct) : await OneByOneAsync(ct);
        }
        finally
        {
            _statements.Clear();
        }
    }

    private async Task<int[]> TogetherAsync(CancellationToken ct)
    {
        var touched = new List<int>(_statements.Count);
        // Only to create parameters the way the column's type mapping configures them (uuid, timestamptz…).
        await using var factory = connection.CreateCommand();
        foreach (var part in _statements.Chunk(PerRoundTrip))
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var (sql, values) in part)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                for (var i = 0; i < values.Count; i++)
                {
                    var (column, value) = values[i];
                    var parameter = column.Mapping.CreateParameter(factory, $"@p{i}", null, column.Property.IsNullable);
                    parameter.Value = column.ToProvider(value);
                    command.Parameters.Add(parameter);
                }
                batch.BatchCommands.Add(command);
            }
            try
            {
                // Prepared once per connection: a statement this connection has prepared before costs no round trip here.
                await batch.PrepareAsync(ct);
                await batch.ExecuteNonQueryAsync(ct);
            }
            catch (NpgsqlException)
            {
                // The statements before the failing one have their command tags; it and those after it have none.
                var failed = batch.BatchCommands.Cast<NpgsqlBatchCommand>().ToList().FindIndex(c => c.StatementType == StatementType.Unknown);
                FailedAt = failed < 0 ? null : touched.Count + failed;
                throw;
            }
            touched.AddRange(batch.BatchCommands.Select(c => c.RecordsAffected));
        }
        return [.. touched];
    }

    private async Task<int[]> OneByOneAsync(CancellationToken ct)
    {
        var commands = new Dictionary<string, (DbCommand Command, DbParameter[] Parameters)>(StringComparer.Ordinal);
        var touched = new int[_statements.Count];
        try
        {
            for (var position = 0; position < _statements.Count; position++)
            {
                var (sql, values) = _statements[position];
                if (!commands.TryGetValue(sql, out var prepared))
                {
                    var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    var parameters = values.Select((v, i) => v.Column.AddParameter(command, $"@p{i}")).ToArray();
                    await command.PrepareAsync(ct);
                    commands[sql] = prepared = (command, parameters);
                }
                for (var i = 0; i < values.Count; i++)
                    prepared.Parameters[i].Value = values[i].Column.ToProvider(values[i].Value);
                try
                {
                    touched[position] = await prepared.Command.ExecuteNonQueryAsync(ct);
                }
                catch (DbException)
                {
                    FailedAt = position;
                    throw;
                }
            }
        }
        finally
        {
            foreach (var (command, _) in commands.Values)
                await command.DisposeAsync();
        }
        return touched;
    }
}
