using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Feed;

/// <summary>One activity of the feed as the storefront shows it.</summary>
public sealed record FeedItem(Guid ActivityId, Guid BenefitId, Guid BenefitVersionId, int VersionNumber, Guid PlanId, Guid? TierId,
    BenefitKind Kind, string Name, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, BenefitSummary Summary);

/// <summary>Reads of the activity feed, in the caller's merchant scope (the storefront's).</summary>
public sealed class ActivityFeedQueries(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Activities of a plan running now: for <paramref name="tierId"/>, those of that tier and those of every tier;
    /// without one, all of the plan's (one item per activity). Soonest-ending first.
    /// </summary>
    public async Task<IReadOnlyList<FeedItem>> ForPlanAsync(Guid planId, Guid? tierId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var query = db.ActivityFeed.AsNoTracking().Where(e => e.PlanId == planId);
        if (tierId is { } tier)
            query = query.Where(e => e.TierId == tier || e.TierId == Guid.Empty);
        var rows = await query.ToListAsync(ct);
        return [.. rows
            .Where(e => e.StartsAt <= now && (e.EndsAt == null || e.EndsAt > now))
            .GroupBy(e => e.ActivityId)
            .Select(g => g.OrderBy(e => e.TierId == Guid.Empty ? 1 : 0).First())
            .OrderBy(e => e.EndsAt ?? DateTimeOffset.MaxValue).ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new FeedItem(e.ActivityId, e.BenefitId, e.BenefitVersionId, e.VersionNumber, e.PlanId,
                e.TierId == Guid.Empty ? null : e.TierId, e.Kind, e.Name, e.StartsAt, e.EndsAt,
                JsonSerializer.Deserialize<BenefitSummary>(e.Summary) ?? new BenefitSummary()))];
    }
}
