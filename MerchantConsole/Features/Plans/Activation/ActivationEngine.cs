using System.Diagnostics.CodeAnalysis;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>What one attempt to move a run did.</summary>
public enum StepOutcome
{
    /// <summary>The run is finished, stuck, or not in this merchant's scope.</summary>
    NothingToDo,
    /// <summary>The next step waits for its retry time, or another worker is running it.</summary>
    NotDue,
    Completed,
    /// <summary>The attempt failed; a retry is scheduled.</summary>
    Failed,
    /// <summary>The attempt failed and the run is Stuck.</summary>
    Stuck,
    /// <summary>An injected hang: the step was left Running.</summary>
    Hung,
    /// <summary>Validation found problems and the run was rolled back.</summary>
    RolledBack,
    /// <summary>Another worker changed the run first; its result stands.</summary>
    LostRace,
    /// <summary>The products step waits for the PlanActivated message to be handled.</summary>
    WaitingForMessage,
}

/// <summary>
/// Executes activation steps. Every attempt is recorded on the run before its work starts (so a worker that dies
/// leaves a Running step the sweeper times out), and its effect commits in the same save as the step's completion,
/// so the records and the run never disagree. Every save of the run or of any of its steps is checked against the
/// run's concurrency stamp, so of two workers that loaded the same run the slower one fails to save and changes nothing.
/// </summary>
/// <remarks>
/// The products step is one attempt per PlanActivated message: sending it starts the attempt, handling it completes
/// it. A message that is never handled leaves the attempt Running until the sweeper times it out, so the step is
/// re-sent with backoff and ends Stuck after the policy's attempts, like any other step.
/// </remarks>
public sealed class ActivationEngine(
    ProviderContextOptions contexts,
    TimeProvider clock,
    IOptionsMonitor<ActivationOptions> options,
    IStepFaults faults,
    IActivationCheckpoints checkpoints,
    ActivationProgressNotifier notifier,
    ActivationJobQueue queue,
    ILogger<ActivationEngine> logger)
{
    public const string Actor = "activation";
    private const int MaxErrorLength = 4000;

    public async Task<StepOutcome> RunNextStepAsync(Guid merchantId, Guid runId, CancellationToken ct = default)
    {
        await using var db = ContextFor(merchantId);
        var run = await db.ActivationRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            logger.LogWarning("Activation run {RunId} is not found for merchant {MerchantId}.", runId, merchantId);
            return StepOutcome.NothingToDo;
        }
        if (run.Status != ActivationRunStatus.Running || run.NextStep is not { } step)
            return StepOutcome.NothingToDo;
        var plan = await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == run.PlanId, ct);
        await checkpoints.ReachedAsync(ActivationCheckpoint.Loaded, run.Id, step.Name, ct);

        var now = clock.GetUtcNow();
        var settings = options.CurrentValue;
        if (step.Status == ActivationStepStatus.Running)
        {
            if (!run.IsOverdue(now, settings.StuckAfter))
                return StepOutcome.NotDue;
            var waitedFor = step.Name == ActivationStepName.ProductsActive ? "PlanActivated was sent" : "the attempt started";
            run.FailStep(step.Name, $"Timed out: {waitedFor} at {step.StartedAt:O} and had no result after {settings.StuckAfter}.", now, settings.RetryPolicy);
            return await SaveFailureAsync(db, run, ct);
        }
        if (!run.IsDue(now))
            return StepOutcome.NotDue;

        if (step.Name == ActivationStepName.ProductsActive)
            return await SendPlanActivatedAsync(db, run, now, ct);

        run.StartStep(step.Name, now);
        if (!await TrySaveAsync(db, ct))
            return StepOutcome.LostRace;
        Notify(run);
        await checkpoints.ReachedAsync(ActivationCheckpoint.Started, run.Id, step.Name, ct);

        try
        {
            if (!faults.Proceed(run.Id, step.Name, RequirePlan(plan).Name))
                return StepOutcome.Hung;

            var outcome = await ApplyAsync(db, run, RequirePlan(plan), step.Name, now, ct);
            if (!await TrySaveAsync(db, ct))
                return StepOutcome.LostRace;
            Notify(run);
            if (run.Status == ActivationRunStatus.Running && run.NextStep is { Name: not ActivationStepName.ProductsActive })
                queue.RunNextStep(run.MerchantId, run.Id);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Step {Step} of activation run {RunId} failed.", step.Name, run.Id);
            return await RecordFailureAsync(merchantId, runId, step.Name, ex, ct);
        }
    }

    /// <summary>
    /// The products step, on the PlanActivated message, inside the dispatcher's context: its changes commit with the
    /// message's inbox row, checked against the run's stamp (a stale handler fails and the message is retried). A
    /// failure is recorded on the run instead of thrown, so it counts toward Stuck.
    /// </summary>
    public async Task HandlePlanActivatedAsync(PlanActivated message, MerchantDbContext db, CancellationToken ct)
    {
        if (message.RunId is not { } runId)
        {
            await ActivateResumedProductsAsync(db, message.PlanId, clock.GetUtcNow(), ct);
            return;
        }

        var run = await db.ActivationRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is not { Status: ActivationRunStatus.Running, NextStep: { Name: ActivationStepName.ProductsActive } step })
            return; // already done, stuck or rolled back: nothing to change
        var plan = await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == run.PlanId, ct);
        await checkpoints.ReachedAsync(ActivationCheckpoint.Loaded, run.Id, step.Name, ct);

        var now = clock.GetUtcNow();
        // Normally the sender started this attempt; a message of an attempt that already timed out is a new one.
        if (step.Status != ActivationStepStatus.Running)
            run.StartStep(step.Name, now);
        try
        {
            if (!faults.Proceed(run.Id, step.Name, RequirePlan(plan).Name))
            {
                NotifyAfterCommit(db, run.MerchantId, run.PlanId, run.Id);
                return;
            }
            RequirePlan(plan).MarkProductsActive(now);
            run.CompleteStep(step.Name, now);
            NotifyAfterCommit(db, run.MerchantId, run.PlanId, run.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Step {Step} of activation run {RunId} failed.", step.Name, run.Id);
            // Drop whatever the failed attempt changed; keep only the attempt and its error.
            db.ChangeTracker.Clear();
            var fresh = await db.ActivationRuns.WithSteps().SingleAsync(r => r.Id == runId, ct);
            if (fresh is not { Status: ActivationRunStatus.Running, NextStep: { Name: ActivationStepName.ProductsActive } freshStep })
                return;
            if (freshStep.Status != ActivationStepStatus.Running)
                fresh.StartStep(step.Name, now);
            fresh.FailStep(step.Name, Describe(ex), now, options.CurrentValue.RetryPolicy);
            if (fresh.Status == ActivationRunStatus.Running && fresh.NextStep?.NextAttemptAt is { } at)
                queue.RunNextStepAt(fresh.MerchantId, fresh.Id, at);
            NotifyAfterCommit(db, fresh.MerchantId, fresh.PlanId, fresh.Id);
        }
    }

    /// <summary>Undoes the effects of rolled-back steps, latest first, then the activation itself.</summary>
    public static void Undo(MembershipPlan plan, IEnumerable<ActivationStep> undone, DateTimeOffset now)
    {
        foreach (var step in undone)
        {
            // Validate and the freeze change no plan record; products Pending is undone with the plan below.
            if (step.Name == ActivationStepName.ProductsPending)
                RollBackPlan(plan, now);
        }
        RollBackPlan(plan, now);
    }

    private static void RollBackPlan(MembershipPlan plan, DateTimeOffset now)
    {
        if (plan.Status == PlanStatus.Activating || plan.RevisionActivating)
            plan.RollBackToDraft(now);
    }

    private static MembershipPlan RequirePlan([NotNull] MembershipPlan? plan) =>
        plan ?? throw new DomainException("Run.PlanGone", "The plan of this run no longer exists.");

    private async Task<StepOutcome> ApplyAsync(MerchantDbContext db, ActivationRun run, MembershipPlan plan, ActivationStepName step,
        DateTimeOffset now, CancellationToken ct)
    {
        switch (step)
        {
            case ActivationStepName.Validate:
                var problems = ActivationDryRun.Check(plan, await ActivationDryRunContext.ForAsync(db, plan, ct));
                if (problems.Count > 0)
                {
                    // Not transient: retrying cannot fix the plan, so the run is rolled back and the plan is editable again.
                    var summary = Truncate("The dry run found problems: " + string.Join(" ", problems.Select(p => p.Message)));
                    run.FailStep(step, summary, now, options.CurrentValue.RetryPolicy);
                    Undo(plan, run.RollBack(Actor, summary, now), now);
                    return StepOutcome.RolledBack;
                }
                break;
            case ActivationStepName.FreezeTemplateVersion:
                var versionId = plan.CardTemplateVersionToActivate
                                ?? throw new DomainException("Run.NoTemplateVersion", "The plan has no card template version to freeze.");
                if (!await ActivationDryRunContext.IsPublishedAsync(db, plan.MerchantId, versionId, ct))
                    throw new DomainException("Run.TemplateVersionNotPublished", "The plan's card template version is not published.");
                run.FreezeTemplateVersion(versionId);
                break;
            case ActivationStepName.ProductsPending:
                plan.MarkProductsPending(now);
                break;
            case ActivationStepName.PlanActive:
                plan.MarkActive(now);
                run.CompleteStep(step, now);
                // The message is the first attempt at the products step, started in the same save (unless a repeated
                // plan step finds the products step already done).
                if (run.NextStep is { Name: ActivationStepName.ProductsActive })
                {
                    run.StartStep(ActivationStepName.ProductsActive, now);
                    db.OutboxMessages.Add(OutboxMessage.For(run.MerchantId, new PlanActivated(plan.Id, run.Id), now, run.Id));
                }
                return StepOutcome.Completed;
            default:
                throw new InvalidOperationException($"Step {step} is performed on the PlanActivated message.");
        }
        run.CompleteStep(step, now);
        return StepOutcome.Completed;
    }

    /// <summary>
    /// A new attempt at the products step: sends PlanActivated again unless one is still waiting for delivery. Either
    /// way the attempt counts, so a message that is never handled ends the run Stuck instead of waiting forever.
    /// </summary>
    private async Task<StepOutcome> SendPlanActivatedAsync(MerchantDbContext db, ActivationRun run, DateTimeOffset now, CancellationToken ct)
    {
        run.StartStep(ActivationStepName.ProductsActive, now);
        var type = OutboxMessage.MessageTypeName<PlanActivated>();
        var waiting = await db.OutboxMessages.AnyAsync(m => m.CorrelationId == run.Id && m.Type == type && m.SentAt == null, ct);
        if (!waiting)
            db.OutboxMessages.Add(OutboxMessage.For(run.MerchantId, new PlanActivated(run.PlanId, run.Id), now, run.Id));
        if (!await TrySaveAsync(db, ct))
            return StepOutcome.LostRace;
        Notify(run);
        return StepOutcome.WaitingForMessage;
    }

    private async Task ActivateResumedProductsAsync(MerchantDbContext db, Guid planId, DateTimeOffset now, CancellationToken ct)
    {
        var plan = await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == planId, ct);
        // Suspended again or retired before the message arrived: the products stay off sale.
        if (plan is not { Status: PlanStatus.Active, RevisionActivating: false } || plan.Products.All(p => p.Status != ProductStatus.Pending))
            return;
        plan.MarkProductsActive(now);
        NotifyAfterCommit(db, plan.MerchantId, planId, Guid.Empty);
    }

    private async Task<StepOutcome> RecordFailureAsync(Guid merchantId, Guid runId, ActivationStepName stepName, Exception ex, CancellationToken ct)
    {
        await using var db = ContextFor(merchantId);
        var run = await db.ActivationRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is not { Status: ActivationRunStatus.Running, NextStep: { Status: ActivationStepStatus.Running } step } || step.Name != stepName)
            return StepOutcome.LostRace;
        run.FailStep(stepName, Describe(ex), clock.GetUtcNow(), options.CurrentValue.RetryPolicy);
        return await SaveFailureAsync(db, run, ct);
    }

    private async Task<StepOutcome> SaveFailureAsync(MerchantDbContext db, ActivationRun run, CancellationToken ct)
    {
        if (!await TrySaveAsync(db, ct))
            return StepOutcome.LostRace;
        Notify(run);
        if (run.Status == ActivationRunStatus.Stuck)
        {
            logger.LogWarning("Activation run {RunId} is stuck at {Step}.", run.Id, run.NextStep?.Name);
            return StepOutcome.Stuck;
        }
        if (run.NextStep?.NextAttemptAt is { } at)
            queue.RunNextStepAt(run.MerchantId, run.Id, at);
        return StepOutcome.Failed;
    }

    private static async Task<bool> TrySaveAsync(MerchantDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false; // another worker moved the run first; its result stands
        }
    }

    private MerchantDbContext ContextFor(Guid merchantId) => contexts.CreateForMerchant(merchantId, SystemActors.Activation);

    private void Notify(ActivationRun run) => notifier.Notify(run.MerchantId, run.PlanId, run.Id);

    // The dispatcher saves the handler's context after it returns; tell pages once that save has happened.
    private void NotifyAfterCommit(MerchantDbContext db, Guid merchantId, Guid planId, Guid runId)
    {
        EventHandler<SavedChangesEventArgs>? handler = null;
        handler = (_, _) =>
        {
            db.SavedChanges -= handler;
            notifier.Notify(merchantId, planId, runId);
        };
        db.SavedChanges += handler;
    }

    private static string Describe(Exception ex) => Truncate(ex is DomainException or InjectedFaultException
        ? ex.Message
        : $"{ex.GetType().Name}: {ex.Message}");

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
}
