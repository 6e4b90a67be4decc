using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>One save on a record: when, who, and every row it changed (the aggregate and its parts).</summary>
public sealed record AuditOperation(DateTimeOffset At, string UserName, IReadOnlyList<AuditEntry> Entries);

public sealed record AuditHistoryPage(IReadOnlyList<AuditOperation> Operations, int TotalOperations);

/// <summary>
/// The change history of one record (a card template, a plan), one entry per save, newest first, a page at a time.
/// Reads through the scoped factory, so it only ever sees the signed-in merchant's entries.
/// </summary>
public sealed class AuditHistory(IDbContextFactory<MerchantDbContext> contexts)
{
    public async Task<AuditHistoryPage> PageAsync(string aggregateType, Guid aggregateId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(page, 0);
        pageSize = Math.Clamp(pageSize, 1, 100);
        var id = aggregateId.ToString();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking().Where(a => a.AggregateType == aggregateType && a.AggregateId == id);
        // Ids grow with time, so the newest save is the one with the highest id (SQLite cannot order by DateTimeOffset).
        var operations = entries.GroupBy(a => a.OperationId).Select(g => new { OperationId = g.Key, Newest = g.Max(a => a.Id) });
        var total = await operations.CountAsync(cancellationToken);
        var pageIds = await operations.OrderByDescending(o => o.Newest).Skip(page * pageSize).Take(pageSize)
            .Select(o => o.OperationId).ToListAsync(cancellationToken);
        var rows = await entries.Where(a => pageIds.Contains(a.OperationId)).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var result = rows.GroupBy(a => a.OperationId)
            .OrderBy(g => pageIds.IndexOf(g.Key))
            .Select(g => new AuditOperation(g.Max(a => a.At), g.First().UserName, [.. g]))
            .ToList();
        return new AuditHistoryPage(result, total);
    }
}
