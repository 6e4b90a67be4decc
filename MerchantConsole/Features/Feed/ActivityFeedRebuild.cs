using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Common;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Feed;

/// <summary>
/// The support action that rebuilds the activity feed from scratch: every feed row goes, and the sent ActivityEffective
/// and ActivityEnded messages (kept in the outbox as the activity events) are replayed in the order they occurred,
/// through the same projection the handlers use. One transaction per merchant; one audit entry per merchant rebuilt.
/// </summary>
public sealed class ActivityFeedRebuild(ProviderContextOptions contexts, MerchantScope requestScope, TimeProvider clock)
{
    public const string AuditAction = "SupportRebuildFeed";
    private static readonly string EffectiveType = OutboxMessage.MessageTypeName<ActivityEffective>();
    private static readonly string EndedType = OutboxMessage.MessageTypeName<ActivityEnded>();

    /// <summary>Rebuilds every merchant's feed; returns the number of events replayed.</summary>
    public async Task<int> RebuildAsync(CancellationToken ct = default)
    {
        var actor = requestScope.SupportUserName
                    ?? throw new DomainException("Support.OnlySupport", "Only support staff can act on workflow runs.");
        List<Guid> merchants;
        await using (var db = contexts.CreateAcrossMerchants(actor))
        {
            merchants = await db.OutboxMessages.Where(m => m.Type == EffectiveType || m.Type == EndedType).Select(m => m.MerchantId)
                .Union(db.ActivityFeed.Select(e => e.MerchantId)).Distinct().ToListAsync(ct);
        }
        var replayed = 0;
        foreach (var merchantId in merchants)
            replayed += await RebuildMerchantAsync(merchantId, actor, ct);
        return replayed;
    }

    private async Task<int> RebuildMerchantAsync(Guid merchantId, string actor, CancellationToken ct)
    {
        await using var db = contexts.CreateForMerchant(merchantId, actor);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ActivityFeed.Where(e => e.MerchantId == merchantId).ExecuteDeleteAsync(ct);
        var events = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.MerchantId == merchantId && m.SentAt != null && (m.Type == EffectiveType || m.Type == EndedType))
            .OrderBy(m => m.OccurredAt).ThenBy(m => m.SentAt)
            .ToListAsync(ct);
        foreach (var message in events)
        {
            if (message.Type == EffectiveType)
                await ActivityFeedProjection.ApplyAsync(db, merchantId, message.Read<ActivityEffective>(), message.OccurredAt, ct);
            else
                await ActivityFeedProjection.ApplyAsync(db, merchantId, message.Read<ActivityEnded>(), ct);
            await db.SaveChangesAsync(ct); // the next event reads what this one wrote
        }
        db.AuditEntries.Add(new AuditEntry
        {
            MerchantId = merchantId,
            At = clock.GetUtcNow(),
            UserId = requestScope.UserId,
            UserName = actor,
            EntityType = "ActivityFeed",
            EntityId = merchantId.ToString(),
            AggregateType = "ActivityFeed",
            AggregateId = merchantId.ToString(),
            Action = AuditAction,
            Changes = AuditEntry.WriteChanges([new AuditChange("Events", null, events.Count.ToString())]),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return events.Count;
    }
}
