using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Benefits.Activation;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits;

public sealed record BenefitResult(bool Succeeded, Guid? Id = null, Refusal? Refusal = null)
{
    public static BenefitResult Refused(Refusal refusal) => new(false, Refusal: refusal);
}

/// <summary>What the wizard's kind-settings step saves; only the fields of the draft's kind are read.</summary>
public sealed record BenefitSettings(
    DateOnly EffectiveFrom,
    int? DiscountPercent = null,
    decimal? PointsFactor = null,
    string? CustomText = null,
    Guid? ActivityId = null,
    Guid? TemplateVersionId = null,
    IssuingRule? Rule = null,
    int? Budget = null);

public sealed record TierOption(Guid Id, string Name);
public sealed record ActivityOption(Guid Id, string Name, ActivityStatus Status);
public sealed record TemplateVersionOption(Guid VersionId, string Name, int Number)
{
    /// <summary><paramref name="options"/> with <paramref name="option"/> in its place (by name, newest version first).</summary>
    public static IReadOnlyList<TemplateVersionOption> Including(IEnumerable<TemplateVersionOption> options, TemplateVersionOption option) =>
        [.. options.Where(o => o.VersionId != option.VersionId).Append(option).OrderBy(o => o.Name, StringComparer.Ordinal).ThenByDescending(o => o.Number)];
}

/// <summary>One benefit in the plan page's list.</summary>
public sealed record BenefitRow(Guid Id, string Name, BenefitKind Kind, BenefitVersionStatus Status, IReadOnlyList<Guid> TierIds, int LatestVersion);

public sealed record BenefitVersionView(Guid Id, int Number, BenefitKind Kind, BenefitVersionStatus Status, DateOnly EffectiveFrom,
    DateTimeOffset? ActivatedAt, DateTimeOffset? EndedAt, Guid? RunId, int CouponsIssued, Guid? ActivityId);

/// <param name="Today">Today in the merchant's zone: which version is in force and which are scheduled.</param>
public sealed record BenefitDetail(Benefit Benefit, string PlanName, PlanStatus PlanStatus, IReadOnlyList<TierOption> PlanTiers,
    IReadOnlyList<BenefitVersionView> Versions, DateOnly Today)
{
    public BenefitVersion? InForce => Benefit.InForceOn(Today);
    public IReadOnlyList<BenefitVersion> Scheduled => Benefit.ScheduledAfter(Today);

    public string TierNames(Func<string> allTiers) => Benefit.AllTiers
        ? allTiers()
        : string.Join(", ", PlanTiers.Where(t => Benefit.TierIds.Contains(t.Id)).Select(t => t.Name));
}

/// <summary>The review: the dry run's problems and, for a coupon benefit, the cost forecast.</summary>
public sealed record BenefitReview(IReadOnlyList<BenefitProblem> Problems, CouponCostForecast? Forecast, int Members)
{
    public bool CanActivate => Problems.Count == 0;
}

/// <summary>
/// The benefit wizard's and pages' commands and queries, in the signed-in merchant's scope (another merchant's ids are
/// not found). Every step of the wizard saves the draft, so a wizard left half-way resumes where it stopped.
/// </summary>
public sealed class BenefitService(
    IDbContextFactory<MerchantDbContext> contexts,
    MerchantScope scope,
    TimeProvider clock,
    WorkflowJobQueue queue,
    WorkflowProgressNotifier notifier)
{
    private string Actor => scope.UserName ?? "unknown";

    public async Task<IReadOnlyList<TierOption>?> PlanTiersAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == planId, ct);
        return plan is null ? null : [.. plan.Tiers.OrderBy(t => t.Rank).Select(t => new TierOption(t.Id, t.Name))];
    }

    public async Task<BenefitResult> CreateAsync(Guid planId, string name, IReadOnlyCollection<Guid> tierIds, BenefitKind kind, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
            return BenefitResult.Refused(Refusal.Of("Plan.NotFound", "That plan was not found."));
        try
        {
            var today = await CouponBenefits.TodayAsync(db, plan.MerchantId, clock.GetUtcNow(), ct);
            var benefit = Benefit.Create(plan, name, tierIds, kind, today, Actor, clock.GetUtcNow());
            db.Benefits.Add(benefit);
            await db.SaveChangesAsync(ct);
            return new BenefitResult(true, benefit.Id);
        }
        catch (DomainException refusal)
        {
            return BenefitResult.Refused(refusal.Refusal);
        }
    }

    /// <summary>Name, tiers and the draft's kind (a live benefit keeps its tiers).</summary>
    public Task<BenefitResult> SaveBasicsAsync(Guid benefitId, string name, IReadOnlyCollection<Guid> tierIds, BenefitKind kind, CancellationToken ct = default) =>
        ChangeAsync(benefitId, async (db, benefit, now) =>
        {
            var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == benefit.PlanId, ct);
            benefit.ChangeBasics(plan, name, tierIds, Actor, now);
            var draft = benefit.EditableDraft(await CouponBenefits.TodayAsync(db, benefit.MerchantId, now, ct), Actor, now);
            if (draft.Kind != kind)
                benefit.ChangeDraft(d => d.ChangeKind(kind), Actor, now);
        }, ct);

    public Task<BenefitResult> SaveSettingsAsync(Guid benefitId, BenefitSettings settings, CancellationToken ct = default) =>
        ChangeAsync(benefitId, async (db, benefit, now) =>
        {
            var draft = benefit.EditableDraft(settings.EffectiveFrom, Actor, now);
            var kind = draft.Kind;
            if (kind == BenefitKind.Coupon && settings.TemplateVersionId is { } versionId)
            {
                // The activity and template must be the merchant's own: other merchants' ids are not found.
                if (!await db.CouponTemplates.SelectMany(t => t.Versions).AnyAsync(v => v.Id == versionId, ct))
                    throw new DomainException("Benefit.TemplateNotFound", "The chosen coupon template version no longer exists.");
                if (settings.ActivityId is { } activityId && !await db.Activities.AnyAsync(a => a.Id == activityId, ct))
                    throw new DomainException("CouponActivity.NotFound", "That coupon activity does not belong to this activity.");
            }
            benefit.ChangeDraft(d =>
            {
                d.ChangeEffectiveFrom(settings.EffectiveFrom);
                switch (kind)
                {
                    case BenefitKind.Discount:
                        d.SetDiscount(settings.DiscountPercent ?? 0);
                        break;
                    case BenefitKind.PointsMultiplier:
                        d.SetPointsFactor(settings.PointsFactor ?? 0);
                        break;
                    case BenefitKind.Custom:
                        d.SetCustomText(settings.CustomText ?? "");
                        break;
                    case BenefitKind.Coupon:
                        d.SetCoupon(settings.ActivityId, settings.TemplateVersionId ?? Guid.Empty,
                            settings.Rule ?? throw new DomainException("CouponActivity.TriggerUnknown", "Choose when the coupons are issued."),
                            settings.Budget ?? 0);
                        break;
                }
            }, Actor, now);
        }, ct);

    /// <summary>Starts a change of a live benefit: a new draft version effective from <paramref name="effectiveFrom"/>.</summary>
    public Task<BenefitResult> StartChangeAsync(Guid benefitId, DateOnly effectiveFrom, CancellationToken ct = default) =>
        ChangeAsync(benefitId, (_, benefit, now) =>
        {
            benefit.EditableDraft(effectiveFrom, Actor, now);
            return Task.CompletedTask;
        }, ct);

    public Task<BenefitResult> RetireAsync(Guid benefitId, CancellationToken ct = default) =>
        ChangeAsync(benefitId, async (db, benefit, now) =>
        {
            foreach (var version in benefit.Retire(Actor, now))
                await BenefitActivationWorkflow.EndVersionAsync(db, benefit.MerchantId, benefit, version, now, ct);
        }, ct);

    /// <summary>The dry run of the activation and, for coupons, the forecast at <paramref name="redemptionRate"/> (0–1).</summary>
    public async Task<BenefitReview?> ReviewAsync(Guid benefitId, decimal redemptionRate, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var benefit = await db.Benefits.AsNoTracking().Include(b => b.Versions).SingleOrDefaultAsync(b => b.Id == benefitId, ct);
        if (benefit?.Draft is not { } draft)
            return null;
        var (problems, context) = await DryRunAsync(db, benefit, draft, ct);
        var forecast = draft.IssuesCoupons && context.TemplateVersion is { } template
            ? CouponCostForecasts.For(template, draft.Trigger, context.Members, redemptionRate)
            : null;
        return new BenefitReview(problems, forecast, context.Members);
    }

    private async Task<(IReadOnlyList<BenefitProblem>, BenefitDryRunContext)> DryRunAsync(MerchantDbContext db, Benefit benefit, BenefitVersion draft, CancellationToken ct)
    {
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == benefit.PlanId, ct);
        var template = draft.CouponTemplateVersionId is { } versionId
            ? await db.CouponTemplates.AsNoTracking().SelectMany(t => t.Versions).SingleOrDefaultAsync(v => v.Id == versionId, ct)
            : null;
        var tierIds = benefit.TierIds;
        var members = await db.Memberships.CountAsync(m => m.PlanId == plan.Id && m.Status == MembershipStatus.Active
                                                           && (tierIds.Count == 0 || tierIds.Contains(m.TierId)), ct);
        var others = await db.Benefits.AsNoTracking().Include(b => b.Versions)
            .Where(b => b.PlanId == plan.Id && b.Id != benefit.Id).ToListAsync(ct);
        var clashes = others
            .Where(b => b.Versions.Any(v => v.Status is BenefitVersionStatus.Active or BenefitVersionStatus.Activating
                                           && v.CouponTemplateVersionId == draft.CouponTemplateVersionId && v.Trigger == draft.Trigger
                                           && draft.CouponTemplateVersionId is not null))
            .Select(b => b.Name).ToList();
        var today = await CouponBenefits.TodayAsync(db, benefit.MerchantId, clock.GetUtcNow(), ct);
        var context = new BenefitDryRunContext(plan, template, members, clashes, today);
        return (BenefitDryRun.Check(benefit, draft, context), context);
    }

    /// <summary>Checks the draft, begins its activation and records the run in one save, then queues the first step.</summary>
    public async Task<Guid> ActivateAsync(Guid benefitId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var benefit = await db.Benefits.Include(b => b.Versions).SingleOrDefaultAsync(b => b.Id == benefitId, ct)
                      ?? throw new DomainException("Benefit.NotFound", "That benefit was not found.");
        var draft = benefit.Draft ?? throw new DomainException("Benefit.NoDraft", "This benefit has no draft to activate.");
        var (problems, _) = await DryRunAsync(db, benefit, draft, ct);
        if (problems.Count > 0)
            throw new DomainException("Benefit.NotReadyToActivate", "The benefit is not ready to activate ({Count} problem(s)): {First}",
                ("Count", problems.Count), ("First", problems[0].Refusal));
        var run = BenefitActivation.Start(benefit, Actor, clock.GetUtcNow());
        db.WorkflowRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Benefit.ChangedConcurrently", "Someone else changed this benefit at the same time; reload it and try again.");
        }
        notifier.Notify(run.MerchantId, benefit.Id, run.Id);
        queue.RunNextStep(run.MerchantId, run.Id);
        return run.Id;
    }

    public async Task<BenefitDetail?> FindAsync(Guid benefitId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var benefit = await db.Benefits.AsNoTracking().Include(b => b.Versions).SingleOrDefaultAsync(b => b.Id == benefitId, ct);
        if (benefit is null)
            return null;
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == benefit.PlanId, ct);
        var versionIds = benefit.Versions.Select(v => v.Id).ToList();
        var issued = await db.Coupons.Where(c => c.BenefitVersionId != null && versionIds.Contains(c.BenefitVersionId.Value))
            .GroupBy(c => c.BenefitVersionId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var runs = await db.WorkflowRuns.AsNoTracking().Where(r => r.Kind == BenefitActivation.Kind && r.SubjectId == benefitId)
            .OrderByDescending(r => r.StartedAt).Select(r => new { r.Id, r.SubjectRevision }).ToListAsync(ct);
        var versions = benefit.Versions.OrderByDescending(v => v.Number)
            .Select(v => new BenefitVersionView(v.Id, v.Number, v.Kind, v.Status, v.EffectiveFrom, v.ActivatedAt, v.EndedAt,
                v.RunId ?? runs.FirstOrDefault(r => r.SubjectRevision == v.Number)?.Id, issued.GetValueOrDefault(v.Id), v.ActivityId))
            .ToList();
        var today = await CouponBenefits.TodayAsync(db, benefit.MerchantId, clock.GetUtcNow(), ct);
        return new BenefitDetail(benefit, plan.Name, plan.Status, [.. plan.Tiers.OrderBy(t => t.Rank).Select(t => new TierOption(t.Id, t.Name))], versions, today);
    }

    public async Task<WorkflowRunView?> LatestRunAsync(Guid benefitId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.WorkflowRuns.AsNoTracking().WithSteps().Where(r => r.Kind == BenefitActivation.Kind && r.SubjectId == benefitId)
            .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
        return run is null ? null : WorkflowRunView.From(run);
    }

    /// <summary>The plan page's list: each benefit of the plan with its status.</summary>
    public async Task<IReadOnlyList<BenefitRow>> ForPlanAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var benefits = await db.Benefits.AsNoTracking().Include(b => b.Versions).Where(b => b.PlanId == planId).ToListAsync(ct);
        return [.. benefits.OrderBy(b => b.CreatedAt)
            .Select(b => new BenefitRow(b.Id, b.Name, b.Current.Kind, b.Status, b.TierIds, b.Versions.Max(v => v.Number)))];
    }

    public async Task<IReadOnlyList<ActivityOption>> ActivityOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Activities.AsNoTracking()
            .Where(a => a.Status == ActivityStatus.Draft || a.Status == ActivityStatus.Effective)
            .OrderBy(a => a.Name).Select(a => new ActivityOption(a.Id, a.Name, a.Status)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<TemplateVersionOption>> TemplateOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Ordered as plain columns: EF cannot order by a record built in the query.
        var rows = await db.CouponTemplates.AsNoTracking()
            .SelectMany(t => t.Versions.Where(v => v.Status == CouponTemplateVersionStatus.Published), (t, v) => new { v.Id, t.Name, v.Number })
            .OrderBy(o => o.Name).ThenByDescending(o => o.Number).ToListAsync(ct);
        return [.. rows.Select(o => new TemplateVersionOption(o.Id, o.Name, o.Number))];
    }

    private async Task<BenefitResult> ChangeAsync(Guid benefitId, Func<MerchantDbContext, Benefit, DateTimeOffset, Task> change, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var benefit = await db.Benefits.Include(b => b.Versions).SingleOrDefaultAsync(b => b.Id == benefitId, ct);
        if (benefit is null)
            return BenefitResult.Refused(Refusal.Of("Benefit.NotFound", "That benefit was not found."));
        try
        {
            await change(db, benefit, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            notifier.Notify(benefit.MerchantId, benefit.Id, Guid.Empty);
            return new BenefitResult(true, benefit.Id);
        }
        catch (DomainException refusal)
        {
            return BenefitResult.Refused(refusal.Refusal);
        }
        catch (DbUpdateConcurrencyException)
        {
            return BenefitResult.Refused(Refusal.Of("Benefit.ChangedConcurrently", "Someone else changed this benefit at the same time; reload it and try again."));
        }
    }
}
