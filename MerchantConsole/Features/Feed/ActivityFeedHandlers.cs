using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Feed;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Feed;

/// <summary>
/// Applies activity events to the feed. Only the message and the feed's own rows are read: never a benefit, activity
/// or coupon table (ARCHITECTURE.md, "Activity feed"), so the feed can be rebuilt by replaying the messages.
/// </summary>
public static class ActivityFeedProjection
{
    public static async Task ApplyAsync(MerchantDbContext db, Guid merchantId, ActivityEffective message, DateTimeOffset at, CancellationToken ct)
    {
        var rows = await db.ActivityFeed.Where(e => e.MerchantId == merchantId && e.ActivityId == message.ActivityId).ToListAsync(ct);
        var summary = JsonSerializer.Serialize(message.Summary);
        IReadOnlyList<Guid> tiers = message.TierIds.Count == 0 ? [Guid.Empty] : message.TierIds;
        // Rows are refreshed in place, so the unique (activity, tier) index never sees an old and a new row at once.
        db.ActivityFeed.RemoveRange(rows.Where(r => !tiers.Contains(r.TierId)));
        foreach (var tier in tiers)
        {
            if (rows.SingleOrDefault(r => r.TierId == tier) is { } row)
                row.Refresh(message, summary, at);
            else
                db.ActivityFeed.Add(ActivityFeedEntry.For(merchantId, message, tier, summary, at));
        }
    }

    public static async Task ApplyAsync(MerchantDbContext db, Guid merchantId, ActivityEnded message, CancellationToken ct)
    {
        // Only the rows of the version that ended: a chosen activity may carry a later version's row meanwhile.
        var rows = await db.ActivityFeed
            .Where(e => e.MerchantId == merchantId && e.ActivityId == message.ActivityId && e.BenefitVersionId == message.BenefitVersionId)
            .ToListAsync(ct);
        db.ActivityFeed.RemoveRange(rows);
    }
}

public sealed class ActivityFeedEffectiveHandler : MessageHandler<ActivityEffective>
{
    protected override Task HandleAsync(ActivityEffective message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken) =>
        ActivityFeedProjection.ApplyAsync(db, envelope.MerchantId, message, envelope.OccurredAt, cancellationToken);
}

public sealed class ActivityFeedEndedHandler : MessageHandler<ActivityEnded>
{
    protected override Task HandleAsync(ActivityEnded message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken) =>
        ActivityFeedProjection.ApplyAsync(db, envelope.MerchantId, message, cancellationToken);
}
