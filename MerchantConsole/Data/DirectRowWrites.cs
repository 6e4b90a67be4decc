using System.Data.Common;
using MerchantConsole.Domain.Common;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantConsole.Data;

/// <summary>
/// Rows of the EF model written without change tracking, inside the caller's open transaction: for the order pipeline,
/// where EF's save (change detection, building a command per row, binding through type mappings) cost several times
/// what the database did with the rows. The statements run through <see cref="RowStatements"/>: on PostgreSQL all of a
/// <see cref="SaveAsync"/> in one round trip. What the save interceptor gives a tracked save, this gives too:
/// <list type="bullet">
/// <item>a merchant-owned row must belong to the merchant in scope; a new versioned row gets its first stamp;</item>
/// <item>an update writes only the columns that changed and is conditional on the row's stamp (and merchant): a row
/// another writer changed first fails the save with a <see cref="DbUpdateConcurrencyException"/>, and any error of the
/// database (a key inserted first, a deadlock) with a <see cref="DbUpdateException"/>, as EF's would;</item>
/// <item>the same audit entries (<see cref="AuditTrail"/>), one operation per save; an outbox row wakes the dispatcher
/// after the commit.</item>
/// </list>
/// Only aggregate roots and unaudited rows: a part (an order's ledger line) is written with an update of its root.
/// Columns, keys and value conversions come from the EF model, so the rows are what <c>SaveChanges</c> would write.
/// </summary>
public sealed class DirectRowWrites(MerchantDbContext db, DateTimeOffset now)
{
    private readonly List<Write> _writes = [];

    /// <summary>A row's values before a change, for <see cref="Modify{T}"/>.</summary>
    public sealed class Snapshot
    {
        internal Snapshot(object row, object?[] values) => (Row, Values) = (row, values);
        internal object Row { get; }
        internal object?[] Values { get; }
    }

    private abstract record Write(Table Table, object Row);
    private sealed record Insert(Table Table, object Row) : Write(Table, Row);
    private sealed record Update(Table Table, object Row, object?[] Before, IReadOnlyList<int> Changed) : Write(Table, Row);

    public Snapshot Before<T>(T row) where T : class
    {
        var table = Table.Of(db, typeof(T));
        return new Snapshot(row, [.. table.Columns.Select(c => c.Snapshot(row))]);
    }

    public void Add<T>(T row) where T : class
    {
        var table = Table.Of(db, typeof(T));
        if (row is IMerchantOwned owned && owned.MerchantId != db.Scope.MerchantId)
            throw new InvalidOperationException($"Refused to write {typeof(T).Name} of another merchant.");
        if (table.Stamp is { } stamp)
            stamp.Set(row, Guid.NewGuid());
        if (row is OutboxMessage { SentAt: null })
            db.OutboxSignalPending = true;
        _writes.Add(new Insert(table, row));
    }

    /// <summary>Writes the columns that changed since <paramref name="before"/>; nothing if none did.</summary>
    public void Modify<T>(T row, Snapshot before) where T : class
    {
        if (!ReferenceEquals(row, before.Row))
            throw new ArgumentException("The snapshot is of another row.", nameof(before));
        var table = Table.Of(db, typeof(T));
        var changed = table.Columns.Select((c, i) => (c, i)).Where(x => !x.c.IsKey && x.c != table.Stamp && !x.c.Same(before.Values[x.i], x.c.Get(row)))
            .Select(x => x.i).ToList();
        if (changed.Count == 0)
            return;
        if (row is IMerchantOwned owned && (owned.MerchantId != db.Scope.MerchantId || changed.Any(i => table.Columns[i].Name == table.MerchantColumn?.Name)))
            throw new InvalidOperationException($"Refused to write {typeof(T).Name} of another merchant.");
        if (table.Stamp is { } stamp)
            stamp.Set(row, Guid.NewGuid());
        _writes.Add(new Update(table, row, before.Values, changed));
    }

    /// <summary>Runs the writes in the order they were asked for, with their audit entries, and forgets them.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        if (_writes.Count == 0)
            return;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Direct writes run inside the caller's transaction.");
        var operationId = Guid.NewGuid();
        var auditTable = Table.Of(db, typeof(AuditEntry));
        List<Write> writes = [.. _writes];
        foreach (var write in _writes)
            if (write.Table.Audited && AuditOf(write, operationId) is var audit && AuditTrail.Worth(audit))
                writes.Add(new Insert(auditTable, audit));
        // On PostgreSQL in one round trip (RowStatements); an update is checked once all have run: any failure rolls the caller's transaction back.
        var statements = new RowStatements(db.Database.GetDbConnection(), transaction);
        foreach (var (sql, values) in writes.Select(StatementOf))
            statements.Add(sql, values);
        int[] touched;
        try
        {
            touched = await statements.RunAsync(ct);
        }
        catch (DbException e)
        {
            throw WriteFailed(writes[statements.FailedAt ?? 0].Table.Type.ClrType, e);
        }
        for (var i = 0; i < writes.Count; i++)
            if (writes[i] is Update && touched[i] != 1)
                throw new DbUpdateConcurrencyException(
                    $"The {writes[i].Table.Type.ClrType.Name} was changed or deleted by another writer since it was read (direct write, {touched[i]} rows).");
        _writes.Clear();
    }

    /// <summary>
    /// A database error of a statement written outside EF's save, as EF's save reports it, so callers retry a lost race (a
    /// key another writer inserted first, a deadlock between two nodes' transactions) the same way whichever path wrote the row.
    /// </summary>
    public static DbUpdateException WriteFailed(Type rowType, DbException e) => new($"Writing a {rowType.Name} failed: {e.Message}", e);

    /// <summary>
    /// What a write runs and binds, in parameter order: an insert's columns; or an update's changed columns, then its
    /// conditions (the row's key, merchant and stamp as read), then its new stamp.
    /// </summary>
    private static (string Sql, List<(MappedColumn Column, object? Value)> Values) StatementOf(Write write)
    {
        var table = write.Table;
        return write switch
        {
            Insert => (table.InsertSql, table.Inserted.Select(c => (Column: c, Value: c.Get(write.Row))).ToList()),
            Update update => (table.UpdateSql(update.Changed),
            [
                .. update.Changed.Select(i => (Column: table.Columns[i], Value: table.Columns[i].Get(write.Row))),
                .. table.Conditions.Select((c, i) => (Column: c, Value: update.Before[table.ConditionPositions[i]])),
                .. (table.Stamp is { } stamp ? [(Column: stamp, Value: stamp.Get(write.Row))] : Array.Empty<(MappedColumn Column, object? Value)>()),
            ]),
            _ => throw new InvalidOperationException(),
        };
    }

    private AuditEntry AuditOf(Write write, Guid operationId)
    {
        var table = write.Table;
        var row = write.Row;
        AuditTrail.ValueOf value = name => table.Find(name)?.Get(row);
        var changes = new List<AuditChange>();
        switch (write)
        {
            case Insert:
                foreach (var column in table.Columns.Where(c => c != table.Stamp))
                    if (column.Get(row) is { } current)
                        changes.Add(new(column.Property.Name, null, AuditTrail.Format(current), AuditTrail.KindOf(column.Property, value, value)));
                break;
            case Update update:
                foreach (var i in update.Changed)
                {
                    var column = table.Columns[i];
                    changes.Add(new(column.Property.Name, AuditTrail.Format(update.Before[i]), AuditTrail.Format(column.Get(row)),
                        AuditTrail.KindOf(column.Property, value, value)));
                }
                break;
        }
        var key = AuditTrail.KeyOf(table.Type, value);
        var name = table.Type.ClrType.Name;
        return AuditTrail.Entry(db.Scope, ((IMerchantOwned)row).MerchantId, name, key, name, key, write is Insert ? "Added" : "Modified",
            changes, now, operationId);
    }

    /// <summary>An entity type's table as this context's model maps it, with its statements (cached per model).</summary>
    private sealed class Table
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, Dictionary<Type, Table>> Tables = [];

        public IEntityType Type { get; }
        public List<MappedColumn> Columns { get; }
        /// <summary>Every column but a key the database generates.</summary>
        public List<MappedColumn> Inserted { get; }
        /// <summary>What an update is conditional on: the key, the merchant and the stamp; and where each is in <see cref="Columns"/>.</summary>
        public List<MappedColumn> Conditions { get; }
        public int[] ConditionPositions { get; }
        public MappedColumn? Stamp { get; }
        public MappedColumn? MerchantColumn { get; }
        public bool Audited { get; }
        public string InsertSql { get; }
        private readonly string _name;
        private readonly Dictionary<string, string> _updates = new(StringComparer.Ordinal);

        private Table(IEntityType type)
        {
            Type = type;
            if (type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
                throw new NotSupportedException($"{type.ClrType.Name} has parts stored with it: save it through EF.");
            var store = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            _name = store.Schema is null ? MappedColumn.Quote(store.Name) : $"{MappedColumn.Quote(store.Schema)}.{MappedColumn.Quote(store.Name)}";
            Columns = [.. type.GetProperties().Select(p => new MappedColumn(p, store))];
            Inserted = [.. Columns.Where(c => !(c.IsKey && c.Property.ValueGenerated == ValueGenerated.OnAdd && c.Property.ClrType == typeof(long)))];
            Stamp = typeof(IConcurrencyVersioned).IsAssignableFrom(type.ClrType) ? Find(nameof(IConcurrencyVersioned.ConcurrencyStamp)) : null;
            MerchantColumn = typeof(IMerchantOwned).IsAssignableFrom(type.ClrType) ? Find(nameof(IMerchantOwned.MerchantId)) : null;
            Conditions = [.. Columns.Where(c => c.IsKey), .. new[] { MerchantColumn, Stamp }.OfType<MappedColumn>()];
            ConditionPositions = [.. Conditions.Select(c => Columns.IndexOf(c))];
            Audited = MerchantColumn is not null && !typeof(INotAudited).IsAssignableFrom(type.ClrType) && type.ClrType != typeof(AuditEntry);
            if (Audited && typeof(IAggregatePart).IsAssignableFrom(type.ClrType))
                throw new NotSupportedException($"{type.ClrType.Name} is audited under its aggregate: save it through EF.");
            InsertSql = $"INSERT INTO {_name} ({string.Join(", ", Inserted.Select(c => MappedColumn.Quote(c.Name)))}) VALUES ({string.Join(", ", Inserted.Select((_, i) => $"@p{i}"))})";
        }

        public static Table Of(MerchantDbContext db, Type clrType)
        {
            var tables = Tables.GetValue(db.Model, _ => []);
            lock (tables)
            {
                if (!tables.TryGetValue(clrType, out var table))
                    tables[clrType] = table = new Table(db.Model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model."));
                return table;
            }
        }

        public MappedColumn? Find(string propertyName) => Columns.Find(c => c.Property.Name == propertyName);

        public string UpdateSql(IReadOnlyList<int> changed)
        {
            var key = string.Join(",", changed);
            lock (_updates)
            {
                if (_updates.TryGetValue(key, out var sql))
                    return sql;
                var set = changed.Select((c, i) => $"{MappedColumn.Quote(Columns[c].Name)} = @p{i}").ToList();
                if (Stamp is not null)
                    set.Add($"{MappedColumn.Quote(Stamp.Name)} = @p{changed.Count + Conditions.Count}");
                var where = Conditions.Select((c, i) => $"{MappedColumn.Quote(c.Name)} = @p{changed.Count + i}");
                return _updates[key] = $"UPDATE {_name} SET {string.Join(", ", set)} WHERE {string.Join(" AND ", where)}";
            }
        }

    }
}
