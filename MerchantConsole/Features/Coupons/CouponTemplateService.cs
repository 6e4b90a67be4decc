using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Coupons;

public enum CouponChangeOutcome
{
    Saved,
    NotFound,
    /// <summary>Someone else saved since the form was loaded.</summary>
    Conflict,
    /// <summary>A rule refused the change; <see cref="CouponChangeResult.Refusal"/> says which.</summary>
    Invalid,
}

public sealed record CouponChangeResult(CouponChangeOutcome Outcome, Guid? Id = null, Guid? Stamp = null, Guid? VersionId = null, Refusal? Refusal = null)
{
    public bool Succeeded => Outcome == CouponChangeOutcome.Saved;
}

public sealed record CouponTemplateRow(Guid Id, string Name, int LatestVersion, Guid? PublishedVersionId, int? PublishedVersion, bool HasDraft, DateTimeOffset UpdatedAt);

/// <summary>Coupon templates (券模版) of the signed-in merchant: one context per call, refusals as coded results.</summary>
public sealed class CouponTemplateService(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock)
{
    public async Task<IReadOnlyList<CouponTemplateRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var templates = await db.CouponTemplates.AsNoTracking().Include(t => t.Versions).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return [.. templates.Select(t => new CouponTemplateRow(t.Id, t.Name, t.Versions.Max(v => v.Number), t.LatestPublished?.Id, t.LatestPublished?.Number,
            t.CurrentDraft is not null, t.UpdatedAt))];
    }

    /// <summary>Null for an unknown id or another merchant's.</summary>
    public async Task<CouponTemplate?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CouponTemplates.AsNoTracking().Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    public async Task<CouponChangeResult> CreateAsync(string name, CouponTerms terms, bool publish, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Creating a coupon template needs a merchant in scope.");
        try
        {
            var now = clock.GetUtcNow();
            var template = CouponTemplate.Create(merchantId, name, terms, Actor(db), now);
            var version = publish ? template.Publish(Actor(db), now) : template.CurrentDraft!;
            db.CouponTemplates.Add(template);
            await db.SaveChangesAsync(cancellationToken);
            return new CouponChangeResult(CouponChangeOutcome.Saved, template.Id, template.ConcurrencyStamp, version.Id);
        }
        catch (DomainException refusal)
        {
            return new CouponChangeResult(CouponChangeOutcome.Invalid, Refusal: refusal.Refusal);
        }
    }

    /// <summary>Saves the terms into the draft (a published template gets a new draft version), and publishes it when asked.</summary>
    public async Task<CouponChangeResult> SaveAsync(Guid id, Guid loadedStamp, string name, CouponTerms terms, bool publish, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var template = await db.CouponTemplates.Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
            return new CouponChangeResult(CouponChangeOutcome.NotFound);
        if (template.ConcurrencyStamp != loadedStamp)
            return new CouponChangeResult(CouponChangeOutcome.Conflict, id);
        try
        {
            var now = clock.GetUtcNow();
            if (name.Trim() != template.Name)
                template.Rename(name, Actor(db), now);
            var version = template.SaveDraft(terms, Actor(db), now);
            if (publish)
                template.Publish(Actor(db), now);
            await db.SaveChangesAsync(cancellationToken);
            return new CouponChangeResult(CouponChangeOutcome.Saved, id, template.ConcurrencyStamp, version.Id);
        }
        catch (DomainException refusal)
        {
            return new CouponChangeResult(CouponChangeOutcome.Invalid, id, Refusal: refusal.Refusal);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new CouponChangeResult(CouponChangeOutcome.Conflict, id);
        }
    }

    private static string Actor(MerchantDbContext db) => db.Scope.UserName ?? SystemActors.Jobs;
}
