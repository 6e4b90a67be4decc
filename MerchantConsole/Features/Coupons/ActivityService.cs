using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Coupons;

/// <summary>One coupon activity's figures for the activity page: stock of its template version, budget and the four counters.</summary>
public sealed record CouponActivityFigures(
    Guid CouponActivityId,
    Guid CouponTemplateVersionId,
    string TemplateName,
    int TemplateVersion,
    IssuingRule Rule,
    CouponActivityStatus Status,
    int Budget,
    int? TotalStock,
    int StockIssued,
    int Issued,
    int Redeemed,
    int Expired,
    int Revoked)
{
    public int? StockLeft => TotalStock is { } stock ? Math.Max(0, stock - StockIssued) : null;
    /// <summary>Redeemed share of issued coupons, 0–1.</summary>
    public double RedemptionRate => Issued == 0 ? 0 : (double)Redeemed / Issued;
}

/// <summary>One local day of a coupon activity: coupons issued and redeemed that day.</summary>
public sealed record DailyCouponFigures(DateOnly Day, int Issued, int Redeemed);

/// <summary>Activities (活动) and their coupon activities (券活动) of the signed-in merchant.</summary>
public sealed class ActivityService(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock)
{
    public async Task<Activity?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Activities.AsNoTracking().Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    public async Task<CouponChangeResult> CreateAsync(string name, DateTimeOffset startsAt, DateTimeOffset? endsAt, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Creating an activity needs a merchant in scope.");
        try
        {
            var activity = Activity.Create(merchantId, name, startsAt, endsAt, Actor(db), clock.GetUtcNow());
            db.Activities.Add(activity);
            await db.SaveChangesAsync(cancellationToken);
            return new CouponChangeResult(CouponChangeOutcome.Saved, activity.Id, activity.ConcurrencyStamp);
        }
        catch (DomainException refusal)
        {
            return new CouponChangeResult(CouponChangeOutcome.Invalid, Refusal: refusal.Refusal);
        }
    }

    /// <summary>Adds a coupon activity issuing the published template version <paramref name="versionId"/>; <see cref="CouponChangeResult.VersionId"/> is the new coupon activity's id.</summary>
    public Task<CouponChangeResult> AddCouponActivityAsync(Guid activityId, Guid versionId, IssuingRule rule, int budget, CancellationToken cancellationToken = default) =>
        ChangeAsync(activityId, async (db, activity, by, now) =>
        {
            var version = await CouponStore.VersionAsync(db, versionId, cancellationToken)
                ?? throw new DomainException("CouponActivity.VersionNotFound", "There is no such coupon template version.");
            return activity.AddCouponActivity(version, rule, budget, by, now).Id;
        }, cancellationToken);

    public Task<CouponChangeResult> MakeEffectiveAsync(Guid activityId, bool withCouponActivities = true, CancellationToken cancellationToken = default) =>
        ChangeAsync(activityId, (_, activity, by, now) => { activity.MakeEffective(by, now, withCouponActivities); return Task.FromResult<Guid?>(null); }, cancellationToken);

    public Task<CouponChangeResult> MakeCouponActivityEffectiveAsync(Guid activityId, Guid couponActivityId, CancellationToken cancellationToken = default) =>
        ChangeAsync(activityId, (_, activity, by, now) => { activity.MakeCouponActivityEffective(couponActivityId, by, now); return Task.FromResult<Guid?>(null); }, cancellationToken);

    public Task<CouponChangeResult> ChangeBudgetAsync(Guid activityId, Guid couponActivityId, int budget, CancellationToken cancellationToken = default) =>
        ChangeAsync(activityId, (_, activity, by, now) => { activity.ChangeCouponActivityBudget(couponActivityId, budget, by, now); return Task.FromResult<Guid?>(null); }, cancellationToken);

    public Task<CouponChangeResult> EndAsync(Guid activityId, CancellationToken cancellationToken = default) =>
        ChangeAsync(activityId, (_, activity, by, now) => { activity.End(by, now); return Task.FromResult<Guid?>(null); }, cancellationToken);

    public Task<CouponChangeResult> CancelAsync(Guid activityId, CancellationToken cancellationToken = default) =>
        ChangeAsync(activityId, (_, activity, by, now) => { activity.Cancel(by, now); return Task.FromResult<Guid?>(null); }, cancellationToken);

    /// <summary>The figures of each coupon activity of an activity, read from the maintained counters; empty for an unknown id.</summary>
    public async Task<IReadOnlyList<CouponActivityFigures>> FiguresAsync(Guid activityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.AsNoTracking().Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId, cancellationToken);
        if (activity is null)
            return [];
        var versionIds = activity.CouponActivities.Select(c => c.CouponTemplateVersionId).Distinct().ToList();
        var versions = await db.CouponTemplates.AsNoTracking()
            .SelectMany(t => t.Versions, (t, v) => new { t.Name, v.Id, v.Number, v.TotalStock, v.Issued })
            .Where(v => versionIds.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, cancellationToken);
        return [.. activity.CouponActivities.OrderBy(c => c.CreatedAt).Select(c =>
        {
            var v = versions[c.CouponTemplateVersionId];
            return new CouponActivityFigures(c.Id, v.Id, v.Name, v.Number, c.Rule, c.Status, c.Budget, v.TotalStock, v.Issued, c.Issued, c.Redeemed, c.Expired, c.Revoked);
        })];
    }

    /// <summary>Issued and redeemed per local day, oldest first, for the redemption-rate chart; days without either are absent.</summary>
    public async Task<IReadOnlyList<DailyCouponFigures>> DailyAsync(Guid couponActivityId, DateOnly from, DateOnly until, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CouponDailyCounts.AsNoTracking()
            .Where(d => d.CouponActivityId == couponActivityId && d.Day >= from && d.Day <= until)
            .OrderBy(d => d.Day)
            .Select(d => new DailyCouponFigures(d.Day, d.Issued, d.Redeemed))
            .ToListAsync(cancellationToken);
    }

    private async Task<CouponChangeResult> ChangeAsync(Guid activityId, Func<MerchantDbContext, Activity, string, DateTimeOffset, Task<Guid?>> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId, cancellationToken);
        if (activity is null)
            return new CouponChangeResult(CouponChangeOutcome.NotFound);
        try
        {
            var made = await change(db, activity, Actor(db), clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return new CouponChangeResult(CouponChangeOutcome.Saved, activity.Id, activity.ConcurrencyStamp, made);
        }
        catch (DomainException refusal)
        {
            return new CouponChangeResult(CouponChangeOutcome.Invalid, activityId, Refusal: refusal.Refusal);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new CouponChangeResult(CouponChangeOutcome.Conflict, activityId);
        }
    }

    private static string Actor(MerchantDbContext db) => db.Scope.UserName ?? SystemActors.Jobs;
}
