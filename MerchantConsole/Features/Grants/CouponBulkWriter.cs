using System.Data;
using System.Data.Common;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantConsole.Features.Grants;

/// <summary>
/// The bulk path for new coupons: rows written without EF change tracking, inside the caller's open transaction.
/// Columns and value conversions come from the EF model, so the rows are exactly what <c>SaveChanges</c> would write.
/// On SQLite one prepared <c>INSERT … ON CONFLICT DO NOTHING</c> is reused with rebound parameters, so a taken code or
/// a (member, issue key) the member already holds costs nothing up front: the row is skipped and handed back.
/// PostgreSQL does the same as SQLite (its own <c>ON CONFLICT DO NOTHING</c>, parameters typed by the EF mapping), the
/// rows' statements sent together (<see cref="RowStatements"/>).
/// On SQL Server both are looked up first (one query each) and the rest go through <see cref="SqlBulkCopy"/>.
/// Counters are the caller's (set-based updates); the interceptor never sees these rows, so the caller stamps the
/// merchant (the coupons carry it) and writes the audit entry for the whole grant.
/// </summary>
public static class CouponBulkWriter
{
    /// <summary>Writes the coupons; returns those not written because their code, or their member's issue key, was already taken.</summary>
    public static async Task<IReadOnlyList<Coupon>> InsertNewAsync(MerchantDbContext db, IReadOnlyList<Coupon> coupons, CancellationToken ct = default)
    {
        if (coupons.Count == 0)
            return [];
        if (!db.Database.IsSqlServer())
            return await WriteAsync(db, coupons, skipConflicts: true, ct);
        var codes = coupons.Select(c => c.Code).ToList();
        var takenCodes = (await db.Coupons.AsNoTracking().Where(c => codes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var heldKeys = await CouponStore.HoldersAsync(db, coupons.Select(c => (c.MembershipId, c.IssueKey)), ct);
        var skipped = coupons.Where(c => takenCodes.Contains(c.Code) || heldKeys.Contains((c.MembershipId, c.IssueKey))).ToList();
        await WriteAsync(db, skipped.Count == 0 ? coupons : [.. coupons.Except(skipped)], skipConflicts: false, ct);
        return skipped;
    }

    /// <summary>Any entity of the model, the same way but without skipping (the benchmark's generated members use it).</summary>
    public static async Task InsertRowsAsync<T>(MerchantDbContext db, IReadOnlyList<T> rows, CancellationToken ct = default) where T : class =>
        await WriteAsync(db, rows, skipConflicts: false, ct);

    private static async Task<IReadOnlyList<T>> WriteAsync<T>(MerchantDbContext db, IReadOnlyList<T> rows, bool skipConflicts, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return [];
        var merchantId = db.Scope.MerchantId;
        if (rows is IReadOnlyList<MerchantConsole.Domain.Common.IMerchantOwned> owned && owned.Any(r => r.MerchantId != merchantId))
            throw new InvalidOperationException("Bulk rows must belong to the merchant in scope.");
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The bulk insert runs inside the caller's transaction.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => new MappedColumn(p, table)).ToList();
        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        try
        {
            if (db.Database.IsSqlServer())
            {
                await SqlServerAsync((SqlConnection)connection, (SqlTransaction)dbTransaction, table.Name, table.Schema, columns, rows, ct);
                return [];
            }
            return await PreparedAsync(connection, dbTransaction, table.Name, columns, rows, skipConflicts, ct);
        }
        catch (DbException e)
        {
            throw DirectRowWrites.WriteFailed(typeof(T), e);
        }
    }

    private static async Task<IReadOnlyList<T>> PreparedAsync<T>(DbConnection connection, DbTransaction transaction, string table, List<MappedColumn> columns,
        IReadOnlyList<T> rows, bool skipConflicts, CancellationToken ct) where T : class
    {
        var sql = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})"
            + (skipConflicts ? " ON CONFLICT DO NOTHING" : "");
        var statements = new RowStatements(connection, transaction);
        foreach (var row in rows)
            statements.Add(sql, [.. columns.Select(c => (c, c.Get(row)))]);
        var inserted = await statements.RunAsync(ct);
        return [.. rows.Where((_, i) => inserted[i] == 0)];
    }

    private static async Task SqlServerAsync<T>(SqlConnection connection, SqlTransaction transaction, string table, string? schema, List<MappedColumn> columns, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        using var data = new DataTable();
        foreach (var column in columns)
        {
            var type = column.Mapping.Converter?.ProviderClrType ?? column.Property.ClrType;
            data.Columns.Add(column.Name, Nullable.GetUnderlyingType(type) ?? type);
        }
        foreach (var row in rows)
            data.Rows.Add([.. columns.Select(c => c.ToProvider(c.Get(row)))]);
        // FireTriggers: Memberships keeps MemberCounts by trigger (ARCHITECTURE.md, Members); a bulk copy skips triggers otherwise.
        using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.FireTriggers, transaction)
        {
            DestinationTableName = schema is null ? $"[{table}]" : $"[{schema}].[{table}]",
            BatchSize = rows.Count,
        };
        foreach (var column in columns)
            copy.ColumnMappings.Add(column.Name, column.Name);
        await copy.WriteToServerAsync(data, ct);
    }
}
