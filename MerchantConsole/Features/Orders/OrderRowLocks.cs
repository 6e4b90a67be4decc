using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

/// <summary>
/// On PostgreSQL, a payment recording locks its orders' rows (<c>FOR UPDATE</c>, in id order) as it starts, and a
/// fulfilment chunk just before it writes them. With several nodes, a duplicate callback recorded on one node often names
/// an order another node's chunk is fulfilling. Without locks, the second to write lost at its conditional update and ran
/// its whole chunk again (214 chunks in a two-node benchmark run of 10,000 orders). With the chunk holding its orders from
/// its first read, the duplicate's node waited for the whole chunk, and its other callbacks with it. Now the recording waits
/// only for the chunk's last writes, and the chunk takes the duplicate's change in (<see cref="OrderFulfilment"/>).
/// Id order on both paths: two transactions sharing orders cannot deadlock on them.
/// SQLite's transaction holds the write lock from its start; SQL Server keeps the conditional update alone.
/// </summary>
public static class OrderRowLocks
{
    /// <summary>Locks the orders; returns each one's concurrency stamp as locked, or null where rows are not locked (not PostgreSQL).</summary>
    public static async Task<IReadOnlyDictionary<Guid, Guid>?> LockAsync(MerchantDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken ct) =>
        db.Database.IsNpgsql()
            ? await db.Database.SqlQuery<LockedOrder>($"""
                SELECT "Id", "ConcurrencyStamp" FROM "Orders" WHERE "MerchantId" = {MerchantOf(db)} AND "Id" = ANY({orderIds.ToArray()}) ORDER BY "Id" FOR UPDATE
                """).ToDictionaryAsync(o => o.Id, o => o.ConcurrencyStamp, ct)
            : null;

    private sealed record LockedOrder(Guid Id, Guid ConcurrencyStamp);

    public static Task LockByPaymentAsync(MerchantDbContext db, IReadOnlyCollection<string> paymentIds, CancellationToken ct) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlAsync($"""
                SELECT 1 FROM "Orders" WHERE "MerchantId" = {MerchantOf(db)} AND "PaymentId" = ANY({paymentIds.ToArray()}) ORDER BY "Id" FOR UPDATE
                """, ct)
            : Task.CompletedTask;

    private static Guid MerchantOf(MerchantDbContext db) =>
        db.Scope.MerchantId ?? throw new InvalidOperationException("Locking orders needs a merchant in scope.");
}
