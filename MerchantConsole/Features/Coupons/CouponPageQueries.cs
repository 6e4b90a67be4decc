using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Coupons;

/// <summary>Which templates the list shows: those with a published version, or those never published yet.</summary>
public enum CouponTemplateFilter
{
    All,
    Published,
    NeverPublished,
}

public sealed record CouponTemplateListQuery(string? Search, CouponTemplateFilter Filter, int Page, int PageSize);

public sealed record CouponTemplateListRow(Guid Id, string Name, int LatestVersion, int? PublishedVersion, bool HasDraft, CouponKind Kind, DateTimeOffset UpdatedAt);

public sealed record ActivityListQuery(string? Search, ActivityStatus? Status, int Page, int PageSize);

public sealed record ActivityListRow(Guid Id, string Name, ActivityStatus Status, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, int CouponActivities, DateTimeOffset UpdatedAt);

public sealed record ListPage<T>(IReadOnlyList<T> Rows, int Total);

/// <summary>A coupon's holder as the redemption page shows them; null fields when the membership is gone.</summary>
public sealed record CouponHolder(string CardNumber, string CustomerName);

/// <summary>A published template version an activity can issue.</summary>
public sealed record PublishedVersionOption(Guid VersionId, string TemplateName, int Number);

/// <summary>The read side of the coupon pages: paged, searchable lists and the few look-ups the pages need beside the coupon services.</summary>
public sealed class CouponPageQueries(IDbContextFactory<MerchantDbContext> contexts)
{
    public const int MaxSearchLength = 100;

    public async Task<ListPage<CouponTemplateListRow>> TemplatesAsync(CouponTemplateListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var templates = db.CouponTemplates.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePattern.Containing(query.Search);
            templates = templates.Where(t => EF.Functions.Like(t.Name, pattern, LikePattern.Escape));
        }
        templates = query.Filter switch
        {
            CouponTemplateFilter.Published => templates.Where(t => t.Versions.Any(v => v.Status == CouponTemplateVersionStatus.Published)),
            CouponTemplateFilter.NeverPublished => templates.Where(t => !t.Versions.Any(v => v.Status == CouponTemplateVersionStatus.Published)),
            _ => templates,
        };
        var total = await templates.CountAsync(cancellationToken);
        var page = await templates.OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Skip(query.Page * query.PageSize).Take(query.PageSize)
            .Include(t => t.Versions).AsSplitQuery().ToListAsync(cancellationToken);
        return new ListPage<CouponTemplateListRow>([.. page.Select(t =>
        {
            var latest = t.Versions.MaxBy(v => v.Number)!;
            return new CouponTemplateListRow(t.Id, t.Name, latest.Number, t.LatestPublished?.Number, t.CurrentDraft is not null, latest.Kind, t.UpdatedAt);
        })], total);
    }

    public async Task<ListPage<ActivityListRow>> ActivitiesAsync(ActivityListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var activities = db.Activities.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePattern.Containing(query.Search);
            activities = activities.Where(a => EF.Functions.Like(a.Name, pattern, LikePattern.Escape));
        }
        if (query.Status is { } status)
            activities = activities.Where(a => a.Status == status);
        var total = await activities.CountAsync(cancellationToken);
        var rows = await activities.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id)
            .Skip(query.Page * query.PageSize).Take(query.PageSize)
            .Select(a => new ActivityListRow(a.Id, a.Name, a.Status, a.StartsAt, a.EndsAt, a.CouponActivities.Count, a.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new ListPage<ActivityListRow>(rows, total);
    }

    /// <summary>Every published version of the merchant's templates, newest first per template, for adding a coupon activity.</summary>
    public async Task<IReadOnlyList<PublishedVersionOption>> PublishedVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CouponTemplates.AsNoTracking()
            .SelectMany(t => t.Versions, (t, v) => new { t.Name, v.Id, v.Number, v.Status })
            .Where(v => v.Status == CouponTemplateVersionStatus.Published)
            .OrderBy(v => v.Name).ThenByDescending(v => v.Number)
            .Select(v => new PublishedVersionOption(v.Id, v.Name, v.Number))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The card number and customer name of the member holding a coupon; null for a membership of another merchant or none.</summary>
    public async Task<CouponHolder?> HolderAsync(Guid membershipId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (from m in db.Memberships.AsNoTracking()
                      join c in db.Customers.AsNoTracking() on m.CustomerId equals c.Id
                      where m.Id == membershipId
                      select new CouponHolder(m.CardNumber, c.Name)).SingleOrDefaultAsync(cancellationToken);
    }
}
