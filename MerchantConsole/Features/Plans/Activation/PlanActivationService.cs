using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>
/// The plan page's activation commands and queries, in the signed-in merchant's scope (another merchant's plan id is
/// simply not found). Refusals are <see cref="DomainException"/>s with a message for the user.
/// </summary>
public sealed class PlanActivationService(
    IDbContextFactory<MerchantDbContext> contexts,
    MerchantScope scope,
    TimeProvider clock,
    WorkflowJobQueue queue,
    WorkflowProgressNotifier notifier)
{
    public async Task<IReadOnlyList<DryRunProblem>> DryRunAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = await FindPlanAsync(db, planId, ct);
        return ActivationDryRun.Check(plan, await ActivationDryRunContext.ForAsync(db, plan, ct));
    }

    /// <summary>Checks the plan, records the run and begins the activation in one save, then queues the first step.</summary>
    public async Task<Guid> StartActivationAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = await FindPlanAsync(db, planId, ct);
        if (plan.ActivationInFlight || await RunsOf(db, planId).AnyAsync(
                r => r.Status == WorkflowRunStatus.Running || r.Status == WorkflowRunStatus.Stuck, ct))
            throw new DomainException("Plan.ActivationAlreadyRunning", "An activation of this plan is already in progress; wait for it to finish.");
        var problems = ActivationDryRun.Check(plan, await ActivationDryRunContext.ForAsync(db, plan, ct));
        if (problems.Count > 0)
            throw new DomainException("Plan.NotReadyToActivate", "The plan is not ready to activate ({Count} problem(s)): {First}", ("Count", problems.Count), ("First", problems[0].Refusal));

        var run = PlanActivation.Start(plan, scope.UserName ?? "unknown", clock.GetUtcNow());
        db.WorkflowRuns.Add(run);
        await SaveAsync(db, ct);
        notifier.Notify(run.MerchantId, plan.Id, run.Id);
        queue.RunNextStep(run.MerchantId, run.Id);
        return run.Id;
    }

    public async Task<WorkflowRunView?> LatestRunAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await RunsOf(db, planId).AsNoTracking().WithSteps()
            .OrderByDescending(r => r.StartedAt)
            .FirstOrDefaultAsync(ct);
        return run is null ? null : WorkflowRunView.From(run);
    }

    /// <summary>The plan's activation history, newest first.</summary>
    public async Task<IReadOnlyList<WorkflowRunView>> RunsAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = await RunsOf(db, planId).AsNoTracking().WithSteps()
            .OrderByDescending(r => r.StartedAt)
            .ToListAsync(ct);
        return [.. runs.Select(WorkflowRunView.From)];
    }

    private static IQueryable<WorkflowRun> RunsOf(MerchantDbContext db, Guid planId) =>
        db.WorkflowRuns.Where(r => r.Kind == PlanActivation.Kind && r.SubjectId == planId);

    /// <summary>Products go Inactive in the same save as the plan, so none is ever on sale under a suspended plan.</summary>
    public Task SuspendAsync(Guid planId) => ChangeAsync(planId, (plan, _, now) => plan.Suspend(now));

    public Task RetireAsync(Guid planId) => ChangeAsync(planId, (plan, _, now) => plan.Retire(now));

    /// <summary>The plan is Active again at once; its products follow through PlanActivated, as after an activation.</summary>
    public Task ResumeAsync(Guid planId) => ChangeAsync(planId, (plan, db, now) =>
    {
        plan.Resume(now);
        db.OutboxMessages.Add(OutboxMessage.For(plan.MerchantId, new PlanActivated(plan.Id, null), now));
    });

    private async Task ChangeAsync(Guid planId, Action<MembershipPlan, MerchantDbContext, DateTimeOffset> change)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var plan = await FindPlanAsync(db, planId, CancellationToken.None);
        change(plan, db, clock.GetUtcNow());
        await SaveAsync(db, CancellationToken.None);
        notifier.Notify(plan.MerchantId, plan.Id, Guid.Empty);
    }

    private static async Task<MembershipPlan> FindPlanAsync(MerchantDbContext db, Guid planId, CancellationToken ct) =>
        await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == planId, ct)
        ?? throw new DomainException("Plan.NotFound", "That plan was not found.");

    private static async Task SaveAsync(MerchantDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Plan.ChangedConcurrently", "Someone else changed this plan at the same time; reload it and try again.");
        }
    }
}
