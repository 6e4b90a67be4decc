using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans;

public sealed record PlanListQuery(string? Search, PlanStatus? Status, int Page, int PageSize);

public sealed record PlanRow(Guid Id, string Name, PlanStatus Status, int ProductCount, bool HasPendingRevision, DateTimeOffset UpdatedAt);

public sealed record PlanListResult(IReadOnlyList<PlanRow> Rows, int Total);

public sealed record TemplateVersionOption(Guid Id, string Label, bool Published);

/// <summary>The plan page's read model: the plan (detached, read only) and the labels of its template versions. Its change history is <see cref="MerchantConsole.Features.CardTemplates.AuditTrailPanel"/>'s.</summary>
public sealed record PlanDetails(MembershipPlan Plan, string? TemplateLabel, string? PendingTemplateLabel);

/// <summary>
/// Reads behind the plan list, plan page and wizard. Each call uses its own context from the scoped factory, so it
/// only ever sees the signed-in merchant's plans.
/// </summary>
public sealed class PlanQueries(IDbContextFactory<MerchantDbContext> contexts)
{
    public async Task<PlanListResult> ListAsync(PlanListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plans = db.Set<MembershipPlan>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePattern.Containing(query.Search);
            plans = plans.Where(p => EF.Functions.Like(p.Name, pattern, LikePattern.Escape));
        }
        if (query.Status is { } status)
            plans = plans.Where(p => p.Status == status);

        var total = await plans.CountAsync(cancellationToken);
        var ids = await plans
            .OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Name)
            .Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        // A page is small, so loading its plans whole keeps the pending-revision rule in one place: the domain.
        var page = await db.Set<MembershipPlan>().AsNoTracking().WithParts().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        var rows = ids.Select(id => PlanMapping.ToRow(page.Single(p => p.Id == id))).ToList();
        return new PlanListResult(rows, total);
    }

    public async Task<int> CountAsync(PlanStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plans = db.Set<MembershipPlan>().AsQueryable();
        return status is { } s ? await plans.CountAsync(p => p.Status == s, cancellationToken) : await plans.CountAsync(cancellationToken);
    }

    /// <summary>Null when there is no such plan for this merchant (another merchant's id included).</summary>
    public async Task<PlanEditModel?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plan = await db.Set<MembershipPlan>().AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return plan is null ? null : PlanMapping.ToEditModel(plan);
    }

    public async Task<PlanDetails?> DetailsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plan = await db.Set<MembershipPlan>().AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (plan is null)
            return null;

        var versionIds = new[] { plan.CardTemplateVersionId, plan.PendingCardTemplateVersionId }.OfType<Guid>().ToList();
        var labels = await TemplateLabelsAsync(db, versionIds, cancellationToken);

        return new PlanDetails(plan,
            plan.CardTemplateVersionId is { } current ? labels.GetValueOrDefault(current) : null,
            plan.PendingCardTemplateVersionId is { } pending ? labels.GetValueOrDefault(pending) : null);
    }

    /// <summary>Published versions a plan can issue cards with, plus <paramref name="include"/> whatever its state.</summary>
    public async Task<IReadOnlyList<TemplateVersionOption>> TemplateVersionsAsync(Guid? include = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var templates = await db.Set<CardTemplate>().AsNoTracking().Include(t => t.Versions).ToListAsync(cancellationToken);
        return templates
            .OrderBy(t => t.Name, StringComparer.CurrentCulture)
            .SelectMany(t => t.Versions
                .Where(v => v.Status == CardTemplateVersionStatus.Published || v.Id == include)
                .OrderByDescending(v => v.Number)
                .Select(v => new TemplateVersionOption(v.Id, PlanMapping.TemplateLabel(t, v), v.Status == CardTemplateVersionStatus.Published)))
            .ToList();
    }

    private static async Task<Dictionary<Guid, string>> TemplateLabelsAsync(MerchantDbContext db, List<Guid> versionIds, CancellationToken cancellationToken)
    {
        if (versionIds.Count == 0)
            return [];
        var templates = await db.Set<CardTemplate>().AsNoTracking().Include(t => t.Versions)
            .Where(t => t.Versions.Any(v => versionIds.Contains(v.Id)))
            .ToListAsync(cancellationToken);
        return templates.SelectMany(t => t.Versions.Where(v => versionIds.Contains(v.Id)).Select(v => (v.Id, Label: PlanMapping.TemplateLabel(t, v))))
            .ToDictionary(x => x.Id, x => x.Label);
    }
}
