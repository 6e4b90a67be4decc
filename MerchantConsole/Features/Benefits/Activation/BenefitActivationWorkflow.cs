using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits.Activation;

/// <summary>
/// Benefit activation on the workflow engine (ARCHITECTURE.md, "Benefits"): CreateActivity → ReadPlan →
/// CouponTemplate → CouponActivity → ActivityEffective (+ the ActivityEffective message) → Bind (on that message).
/// Benefits without coupons skip the two coupon steps. Every step finds what an earlier attempt recorded on the
/// version, so a repeat changes nothing twice. The coupon activity stays Pending until Bind makes the version Active
/// in the same save, so it never issues for a benefit that is not Active.
/// </summary>
public sealed class BenefitActivationWorkflow : IWorkflowDefinition
{
    public string Kind => BenefitActivation.Kind;

    public IReadOnlyList<WorkflowStepSpec> Steps => BenefitActivation.AllSteps;

    public IReadOnlyDictionary<string, WorkflowMessage> MessageSteps { get; } = new Dictionary<string, WorkflowMessage>
    {
        [BenefitStepName.Bind] = WorkflowMessage.Of(EffectiveMessageAsync),
    };

    public async Task<WorkflowStepResult> ExecuteAsync(WorkflowStepContext context, CancellationToken ct)
    {
        var (db, run, step, now) = context;
        var benefit = await LoadAsync(db, run, ct);
        var version = VersionOf(benefit, run);
        switch (step)
        {
            case BenefitStepName.CreateActivity when version.ActivityId is null:
                if (version.ChosenActivityId is { } chosen)
                {
                    var existing = await ActivityAsync(db, run, chosen, ct);
                    if (existing is null or { Status: ActivityStatus.Ended or ActivityStatus.Cancelled })
                        return WorkflowStepResult.RollBack("The chosen activity is gone, ended or cancelled.");
                    version.RecordActivity(chosen);
                }
                else
                {
                    var zone = LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, run.MerchantId, ct));
                    var activity = Activity.Create(run.MerchantId, benefit.Name, LocalDays.StartOf(version.EffectiveFrom, zone), null, SystemActors.Activation, now);
                    db.Activities.Add(activity);
                    version.RecordActivity(activity.Id);
                }
                run.RecordOutput(step, version.ActivityId!.Value.ToString());
                break;
            case BenefitStepName.ReadPlan:
                var plan = await db.MembershipPlans.WithParts().AsNoTracking()
                    .SingleOrDefaultAsync(p => p.Id == benefit.PlanId && p.MerchantId == run.MerchantId, ct);
                if (plan is null)
                    return WorkflowStepResult.RollBack("The plan of this benefit no longer exists.");
                if (plan.Status != PlanStatus.Active)
                    return WorkflowStepResult.RollBack($"The plan is {plan.Status}; benefits are activated on an Active plan.");
                if (benefit.TierIds.Any(t => plan.Tiers.All(p => p.Id != t)))
                    return WorkflowStepResult.RollBack("A tier of the benefit does not belong to its plan.");
                break;
            case BenefitStepName.CouponTemplate:
                var template = await TemplateAsync(db, run, version, ct);
                if (template is not { Status: CouponTemplateVersionStatus.Published })
                    return WorkflowStepResult.RollBack("The coupon template version is missing or not published.");
                var today = LocalDays.DateOf(now, LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, run.MerchantId, ct)));
                if (template.ValidityKind == ValidityKind.Fixed && template.ValidUntilDate < today)
                    return WorkflowStepResult.RollBack("Coupons of the template are no longer valid.");
                run.RecordOutput(step, template.Id.ToString());
                break;
            case BenefitStepName.CouponActivity when version.CouponActivityId is null:
                var owner = await ActivityAsync(db, run, version.ActivityId!.Value, ct)
                            ?? throw new DomainException("Run.ActivityGone", "The benefit's activity no longer exists.");
                var published = await TemplateAsync(db, run, version, ct)
                                ?? throw new DomainException("Run.TemplateGone", "The coupon template version no longer exists.");
                var couponActivity = owner.AddCouponActivity(published, version.Rule!, version.Budget!.Value, SystemActors.Activation, now);
                version.RecordCouponActivity(couponActivity.Id);
                run.RecordOutput(step, couponActivity.Id.ToString());
                break;
            case BenefitStepName.ActivityEffective:
                var effective = await ActivityAsync(db, run, version.ActivityId!.Value, ct)
                                ?? throw new DomainException("Run.ActivityGone", "The benefit's activity no longer exists.");
                // Coupon activities wait: the benefit's becomes Effective with the benefit, in Bind.
                effective.MakeEffective(SystemActors.Activation, now, withCouponActivities: false);
                break;
            case BenefitStepName.Bind:
                await BindAsync(db, run, benefit, version, now, ct);
                break;
            case BenefitStepName.CreateActivity or BenefitStepName.CouponActivity:
                break; // a repeat: the record is there
            default:
                throw new InvalidOperationException($"Benefit activation has no step {step}.");
        }
        return WorkflowStepResult.Done;
    }

    private static async Task BindAsync(MerchantDbContext db, WorkflowRun run, Benefit benefit, BenefitVersion version, DateTimeOffset now, CancellationToken ct)
    {
        if (version.Status == BenefitVersionStatus.Active)
            return;
        var activity = await ActivityAsync(db, run, version.ActivityId!.Value, ct);
        if (activity is not { Status: ActivityStatus.Effective })
            throw new DomainException("Run.ActivityNotEffective", "The benefit's activity is not effective; it cannot be bound.");
        if (version.CouponActivityId is { } couponActivityId)
            activity.MakeCouponActivityEffective(couponActivityId, SystemActors.Activation, now);
        // A version dated later leaves the one in force issuing until its day; BenefitVersionSwitchJob ends it then.
        var today = await CouponBenefits.TodayAsync(db, run.MerchantId, now, ct);
        foreach (var old in benefit.Bind(version.Id, today, now))
            await EndVersionAsync(db, run.MerchantId, benefit, old, now, ct);
    }

    /// <summary>
    /// A version that stops (superseded or retired): its coupon activity ends, the activity it created ends, and the
    /// feed is told, all in the caller's save.
    /// </summary>
    internal static async Task EndVersionAsync(MerchantDbContext db, Guid merchantId, Benefit benefit, BenefitVersion old, DateTimeOffset now, CancellationToken ct)
    {
        if (old.ActivityId is not { } activityId)
            return;
        var activity = await db.Activities.Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId && a.MerchantId == merchantId, ct);
        if (activity is null)
            return;
        if (old.CouponActivityId is { } couponActivityId && activity.CouponActivities.Any(c => c.Id == couponActivityId && c.Status != CouponActivityStatus.Ended))
            activity.EndCouponActivity(couponActivityId, SystemActors.Activation, now);
        if (old.ChosenActivityId is null && activity.Status == ActivityStatus.Effective)
            activity.End(SystemActors.Activation, now);
        db.OutboxMessages.Add(OutboxMessage.For(merchantId, new ActivityEnded(activityId, benefit.PlanId, old.Id, now), now));
    }

    /// <summary>Undo: the coupon activity ends, an activity the run created is cancelled, the version is a Draft again, the feed is told.</summary>
    public async Task UndoAsync(MerchantDbContext db, WorkflowRun run, IReadOnlyList<WorkflowStep> undone, DateTimeOffset now, CancellationToken ct)
    {
        var benefit = await LoadAsync(db, run, ct);
        var version = VersionOf(benefit, run);
        if (version.ActivityId is { } activityId && await ActivityAsync(db, run, activityId, ct) is { } activity)
        {
            if (version.CouponActivityId is { } couponActivityId && activity.CouponActivities.Any(c => c.Id == couponActivityId && c.Status != CouponActivityStatus.Ended))
                activity.EndCouponActivity(couponActivityId, SystemActors.Activation, now);
            if (version.ChosenActivityId is null && activity.Status is ActivityStatus.Draft or ActivityStatus.Effective)
                activity.Cancel(SystemActors.Activation, now);
            if (undone.Any(s => s.Name == BenefitStepName.ActivityEffective))
                db.OutboxMessages.Add(OutboxMessage.For(run.MerchantId, new ActivityEnded(activityId, benefit.PlanId, version.Id, now), now));
        }
        benefit.RollBackActivation(version.Id, now);
    }

    public async Task<string?> MissingEffectAsync(MerchantDbContext db, WorkflowRun run, string step, CancellationToken ct)
    {
        var benefit = await LoadAsync(db, run, ct);
        var version = VersionOf(benefit, run);
        var activity = version.ActivityId is { } id ? await ActivityAsync(db, run, id, ct) : null;
        return step switch
        {
            BenefitStepName.CreateActivity when activity is null => "the version records no activity.",
            BenefitStepName.CouponActivity when version.CouponActivityId is null => "the version records no coupon activity.",
            BenefitStepName.ActivityEffective when activity?.Status != ActivityStatus.Effective => $"the activity is {activity?.Status}, not Effective.",
            BenefitStepName.Bind when version.Status != BenefitVersionStatus.Active => $"the benefit version is {version.Status}, not Active.",
            BenefitStepName.Bind when version.CouponActivityId is { } c && activity?.CouponActivities.SingleOrDefault(x => x.Id == c)?.Status != CouponActivityStatus.Effective
                => "the coupon activity is not Effective.",
            _ => null,
        };
    }

    public async Task<WorkflowRecords> DescribeAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct)
    {
        var benefit = await db.Benefits.AsNoTracking().Include(b => b.Versions)
            .SingleOrDefaultAsync(b => b.Id == run.SubjectId && b.MerchantId == run.MerchantId, ct);
        if (benefit is null || benefit.Versions.All(v => v.Number != run.SubjectRevision))
            return new WorkflowRecords(run.SubjectName, ["The benefit of this run no longer exists."], typeof(BenefitActivationRecords),
                new BenefitRecordsView(run.SubjectId, run.SubjectName, null, null, null, null, null, null, null));
        var version = VersionOf(benefit, run);
        // After a roll back the version forgets its records; the run's step outputs still name them.
        var activityId = version.ActivityId ?? OutputId(run, BenefitStepName.CreateActivity);
        var couponActivityId = version.CouponActivityId ?? OutputId(run, BenefitStepName.CouponActivity);
        var activity = activityId is { } a
            ? await db.Activities.AsNoTracking().Include(x => x.CouponActivities).SingleOrDefaultAsync(x => x.Id == a && x.MerchantId == run.MerchantId, ct)
            : null;
        var couponActivity = activity?.CouponActivities.SingleOrDefault(c => c.Id == couponActivityId);
        var violations = Violations(run, version, activity, couponActivity);
        return new WorkflowRecords(benefit.Name, violations, typeof(BenefitActivationRecords),
            new BenefitRecordsView(benefit.Id, benefit.Name, version.Number, version.Status, activity?.Id, activity?.Name, activity?.Status,
                couponActivity?.Status, version.CouponTemplateVersionId));
    }

    /// <summary>The benefit's invariants (issue 8): checked by the support console and after every worker's move in the tests.</summary>
    public static IReadOnlyList<string> Violations(WorkflowRun run, BenefitVersion version, Activity? activity, CouponActivity? couponActivity)
    {
        var problems = new List<string>();
        if (version.Status == BenefitVersionStatus.Active && activity?.Status != ActivityStatus.Effective)
            problems.Add($"Benefit version {version.Number} is Active but its activity is {activity?.Status.ToString() ?? "missing"}.");
        if (couponActivity?.Status == CouponActivityStatus.Effective && version.Status != BenefitVersionStatus.Active)
            problems.Add($"The coupon activity issues while benefit version {version.Number} is {version.Status}.");
        if (run.Status == WorkflowRunStatus.RolledBack)
        {
            if (version.Status != BenefitVersionStatus.Draft || version.ActivityId is not null || version.CouponActivityId is not null)
                problems.Add($"The run was rolled back but benefit version {version.Number} is {version.Status} and still bound.");
            if (couponActivity is not null && couponActivity.Status != CouponActivityStatus.Ended)
                problems.Add("The run was rolled back but its coupon activity is not ended.");
            if (activity is not null && version.ChosenActivityId != activity.Id && activity.Status is not ActivityStatus.Cancelled)
                problems.Add($"The run was rolled back but the activity it created is {activity.Status}.");
        }
        if (run.Status == WorkflowRunStatus.Succeeded && version.Status != BenefitVersionStatus.Active && version.Status != BenefitVersionStatus.Superseded && version.Status != BenefitVersionStatus.Retired)
            problems.Add($"The run succeeded but benefit version {version.Number} is {version.Status}.");
        return problems;
    }

    private static Guid? OutputId(WorkflowRun run, string step) =>
        run.Steps.SingleOrDefault(s => s.Name == step)?.Output is { } output && Guid.TryParse(output, out var id) ? id : null;

    /// <summary>The ActivityEffective message, read from the records on the run's context (the activity's change is tracked, unsaved).</summary>
    private static async Task<ActivityEffective> EffectiveMessageAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct)
    {
        var benefit = await LoadAsync(db, run, ct);
        var version = VersionOf(benefit, run);
        var activity = await ActivityAsync(db, run, version.ActivityId ?? throw new DomainException("Run.ActivityGone", "The benefit's activity no longer exists."), ct)
                       ?? throw new DomainException("Run.ActivityGone", "The benefit's activity no longer exists.");
        var template = version.IssuesCoupons ? await TemplateAsync(db, run, version, ct) : null;
        return new ActivityEffective(activity.Id, benefit.PlanId, benefit.Id, version.Id, version.Number, benefit.TierIds, version.Kind, benefit.Name,
            activity.StartsAt, activity.EndsAt, BenefitSummary.Of(version, template), run.Id);
    }

    private static BenefitVersion VersionOf(Benefit benefit, WorkflowRun run) =>
        benefit.Versions.SingleOrDefault(v => v.Number == run.SubjectRevision)
        ?? throw new DomainException("Run.BenefitVersionGone", "The benefit version of this run no longer exists.");

    // Every lookup names the run's merchant, so it stays right in the support console's across-merchant scope.
    private static async Task<Benefit> LoadAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct) =>
        await db.Benefits.Include(b => b.Versions).SingleOrDefaultAsync(b => b.Id == run.SubjectId && b.MerchantId == run.MerchantId, ct)
        ?? throw new DomainException("Run.BenefitGone", "The benefit of this run no longer exists.");

    private static Task<Activity?> ActivityAsync(MerchantDbContext db, WorkflowRun run, Guid activityId, CancellationToken ct) =>
        db.Activities.Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId && a.MerchantId == run.MerchantId, ct);

    private static Task<CouponTemplateVersion?> TemplateAsync(MerchantDbContext db, WorkflowRun run, BenefitVersion version, CancellationToken ct) =>
        db.CouponTemplates.Where(t => t.MerchantId == run.MerchantId).SelectMany(t => t.Versions)
            .SingleOrDefaultAsync(v => v.Id == version.CouponTemplateVersionId, ct);
}

/// <summary>The benefit, its version and activity as the support console shows them beside a benefit activation run.</summary>
public sealed record BenefitRecordsView(Guid BenefitId, string Name, int? VersionNumber, BenefitVersionStatus? VersionStatus, Guid? ActivityId,
    string? ActivityName, ActivityStatus? ActivityStatus, CouponActivityStatus? CouponActivityStatus, Guid? TemplateVersionId);
