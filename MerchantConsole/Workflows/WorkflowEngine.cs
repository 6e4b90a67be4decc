using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Workflows;

/// <summary>What one attempt to move a run did.</summary>
public enum StepOutcome
{
    /// <summary>The run is finished, stuck, of an unknown kind, or not in this merchant's scope.</summary>
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
    /// <summary>The step found a problem no retry can fix and the run was rolled back.</summary>
    RolledBack,
    /// <summary>Another worker changed the run first; its result stands.</summary>
    LostRace,
    /// <summary>The next step waits for its message to be handled.</summary>
    WaitingForMessage,
}

/// <summary>
/// Executes the steps of runs of every kind, each through its <see cref="IWorkflowDefinition"/>. Every attempt is
/// recorded on the run before its work starts (so a worker that dies leaves a Running step the sweeper times out), and
/// its effect commits in the same save as the step's completion, so the records and the run never disagree. Every save
/// of the run or of any of its steps is checked against the run's concurrency stamp, so of two workers that loaded the
/// same run the slower one fails to save and changes nothing.
/// </summary>
/// <remarks>
/// A message step (<see cref="IWorkflowDefinition.MessageSteps"/>) is one attempt per message: sending it starts the
/// attempt, handling it completes it. A message that is never handled leaves the attempt Running until the sweeper
/// times it out, so the step is re-sent with backoff and ends Stuck after the policy's attempts, like any other step.
/// </remarks>
public sealed class WorkflowEngine(
    ProviderContextOptions contexts,
    TimeProvider clock,
    IOptionsMonitor<WorkflowOptions> options,
    WorkflowDefinitions definitions,
    IStepFaults faults,
    IWorkflowCheckpoints checkpoints,
    WorkflowProgressNotifier notifier,
    WorkflowJobQueue queue,
    ILogger<WorkflowEngine> logger)
{
    /// <summary>Who the engine's own actions (an automatic rollback) are recorded as.</summary>
    public const string Actor = "activation";

    public async Task<StepOutcome> RunNextStepAsync(Guid merchantId, Guid runId, CancellationToken ct = default)
    {
        using var span = AppTelemetry.Source.StartActivity("workflow step");
        span?.SetTag(AppTelemetry.MerchantTag, merchantId).SetTag(AppTelemetry.RunTag, runId);
        var outcome = await RunNextStepCoreAsync(merchantId, runId, ct);
        span?.SetTag("workflow.step.outcome", outcome.ToString());
        return outcome;
    }

    private async Task<StepOutcome> RunNextStepCoreAsync(Guid merchantId, Guid runId, CancellationToken ct)
    {
        await using var db = ContextFor(merchantId);
        var run = await db.WorkflowRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            logger.LogWarning("Workflow run {RunId} is not found for merchant {MerchantId}.", runId, merchantId);
            return StepOutcome.NothingToDo;
        }
        if (run.Status != WorkflowRunStatus.Running || run.NextStep is not { } step)
            return StepOutcome.NothingToDo;
        if (definitions.Find(run.Kind) is not { } definition)
        {
            logger.LogError("Workflow run {RunId} is of kind {Kind}, which no registered definition handles.", run.Id, run.Kind);
            return StepOutcome.NothingToDo;
        }
        await checkpoints.ReachedAsync(WorkflowCheckpoint.Loaded, run.Id, step.Name, ct);

        var now = clock.GetUtcNow();
        var settings = options.CurrentValue;
        if (step.Status == WorkflowStepStatus.Running)
        {
            if (!run.IsOverdue(now, settings.StuckAfter))
                return StepOutcome.NotDue;
            var waitedFor = definition.MessageSteps.TryGetValue(step.Name, out var sent) ? $"{sent.Type} was sent" : "the attempt started";
            run.FailStep(step.Name, $"Timed out: {waitedFor} at {step.StartedAt:O} and had no result after {settings.StuckAfter}.", now, settings.RetryPolicy);
            return await SaveFailureAsync(db, run, ct);
        }
        if (!run.IsDue(now))
            return StepOutcome.NotDue;

        if (definition.MessageSteps.TryGetValue(step.Name, out var message))
            return await SendMessageAsync(db, run, step.Name, message, now, ct);

        run.StartStep(step.Name, now);
        if (!await TrySaveAsync(db, ct))
            return StepOutcome.LostRace;
        Notify(run);
        await checkpoints.ReachedAsync(WorkflowCheckpoint.Started, run.Id, step.Name, ct);

        try
        {
            if (!faults.Proceed(run.Id, run.Kind, step.Name, run.SubjectName))
                return StepOutcome.Hung;
            if (faults.PauseBefore(run.Id, run.Kind, step.Name, run.SubjectName, step.Attempts) is { Ticks: > 0 } pause)
                await Task.Delay(pause, ct);

            var result = await definition.ExecuteAsync(new WorkflowStepContext(db, run, step.Name, now), ct);
            StepOutcome outcome;
            if (result.RollBackReason is { } reason)
            {
                // Not transient: retrying cannot fix it, so the run is rolled back and its subject is editable again.
                var summary = Truncate(reason);
                run.FailStep(step.Name, summary, now, settings.RetryPolicy);
                await definition.UndoAsync(db, run, run.RollBack(Actor, summary, now), now, ct);
                outcome = StepOutcome.RolledBack;
            }
            else
            {
                run.CompleteStep(step.Name, now);
                // A message step's first attempt is its message, started in the same save as the step before it (unless a
                // repeated step finds the message step already done).
                if (run.NextStep is { } next && definition.MessageSteps.TryGetValue(next.Name, out var nextMessage))
                {
                    run.StartStep(next.Name, now);
                    db.OutboxMessages.Add(await nextMessage.CreateAsync(db, run, now, ct));
                }
                outcome = StepOutcome.Completed;
            }
            if (!await TrySaveAsync(db, ct))
                return StepOutcome.LostRace;
            Notify(run);
            if (run.Status == WorkflowRunStatus.Running && run.NextStep is { } following && !definition.MessageSteps.ContainsKey(following.Name))
                queue.RunNextStep(run.MerchantId, run.Id);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Step {Step} of {Kind} run {RunId} failed.", step.Name, run.Kind, run.Id);
            return await RecordFailureAsync(merchantId, runId, step.Name, ex, ct);
        }
    }

    /// <summary>
    /// A message step, on its message, inside the dispatcher's context: its changes commit with the message's inbox
    /// row, checked against the run's stamp (a stale handler fails and the message is retried). A failure is recorded
    /// on the run instead of thrown, so it counts toward Stuck. A message for a run that has moved on changes nothing.
    /// </summary>
    public async Task CompleteMessageStepAsync(MerchantDbContext db, Guid runId, string stepName, CancellationToken ct)
    {
        var run = await db.WorkflowRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is not { Status: WorkflowRunStatus.Running, NextStep: { } step } || step.Name != stepName)
            return; // already done, stuck or rolled back: nothing to change
        var definition = definitions.Get(run.Kind);
        await checkpoints.ReachedAsync(WorkflowCheckpoint.Loaded, run.Id, step.Name, ct);

        var now = clock.GetUtcNow();
        // Normally the sender started this attempt; a message of an attempt that already timed out is a new one.
        if (step.Status != WorkflowStepStatus.Running)
            run.StartStep(step.Name, now);
        try
        {
            if (!faults.Proceed(run.Id, run.Kind, step.Name, run.SubjectName))
            {
                NotifyAfterCommit(db, run.MerchantId, run.SubjectId, run.Id);
                return;
            }
            var result = await definition.ExecuteAsync(new WorkflowStepContext(db, run, step.Name, now), ct);
            if (result.RollBackReason is { } reason)
                throw new DomainException("Run.MessageStepRefused", "{Reason}", ("Reason", reason)); // past a message, the run goes forward: support decides
            run.CompleteStep(step.Name, now);
            RecordIfEnded(run);
            NotifyAfterCommit(db, run.MerchantId, run.SubjectId, run.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Step {Step} of {Kind} run {RunId} failed.", step.Name, run.Kind, run.Id);
            // Drop whatever the failed attempt changed; keep only the attempt and its error.
            db.ChangeTracker.Clear();
            var fresh = await db.WorkflowRuns.WithSteps().SingleAsync(r => r.Id == runId, ct);
            if (fresh is not { Status: WorkflowRunStatus.Running, NextStep: { } freshStep } || freshStep.Name != stepName)
                return;
            if (freshStep.Status != WorkflowStepStatus.Running)
                fresh.StartStep(stepName, now);
            fresh.FailStep(stepName, Describe(ex), now, options.CurrentValue.RetryPolicy);
            if (fresh.Status == WorkflowRunStatus.Running && fresh.NextStep?.NextAttemptAt is { } at)
                queue.RunNextStepAt(fresh.MerchantId, fresh.Id, at);
            NotifyAfterCommit(db, fresh.MerchantId, fresh.SubjectId, fresh.Id);
        }
    }

    /// <summary>
    /// A new attempt at a message step: sends its message again unless one is still waiting for delivery. Either way
    /// the attempt counts, so a message that is never handled ends the run Stuck instead of waiting forever.
    /// </summary>
    private async Task<StepOutcome> SendMessageAsync(MerchantDbContext db, WorkflowRun run, string step, WorkflowMessage message,
        DateTimeOffset now, CancellationToken ct)
    {
        run.StartStep(step, now);
        var waiting = await db.OutboxMessages.AnyAsync(m => m.CorrelationId == run.Id && m.Type == message.Type && m.SentAt == null, ct);
        if (!waiting)
            db.OutboxMessages.Add(await message.CreateAsync(db, run, now, ct));
        if (!await TrySaveAsync(db, ct))
            return StepOutcome.LostRace;
        Notify(run);
        return StepOutcome.WaitingForMessage;
    }

    private async Task<StepOutcome> RecordFailureAsync(Guid merchantId, Guid runId, string stepName, Exception ex, CancellationToken ct)
    {
        await using var db = ContextFor(merchantId);
        var run = await db.WorkflowRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is not { Status: WorkflowRunStatus.Running, NextStep: { Status: WorkflowStepStatus.Running } step } || step.Name != stepName)
            return StepOutcome.LostRace;
        run.FailStep(stepName, Describe(ex), clock.GetUtcNow(), options.CurrentValue.RetryPolicy);
        return await SaveFailureAsync(db, run, ct);
    }

    private async Task<StepOutcome> SaveFailureAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct)
    {
        if (!await TrySaveAsync(db, ct))
            return StepOutcome.LostRace;
        Notify(run);
        if (run.Status == WorkflowRunStatus.Stuck)
        {
            logger.LogWarning("{Kind} run {RunId} is stuck at {Step}.", run.Kind, run.Id, run.NextStep?.Name);
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

    private void Notify(WorkflowRun run)
    {
        RecordIfEnded(run);
        notifier.Notify(run.MerchantId, run.SubjectId, run.Id);
    }

    /// <summary>An activation's (any run's) duration, once it has ended or is Stuck.</summary>
    private static void RecordIfEnded(WorkflowRun run)
    {
        if (run.Status == WorkflowRunStatus.Running)
            return;
        var end = run.FinishedAt ?? run.Steps.Max(s => s.FinishedAt ?? s.StartedAt) ?? run.StartedAt;
        AppTelemetry.WorkflowDuration.Record((end - run.StartedAt).TotalSeconds,
            new KeyValuePair<string, object?>("workflow.kind", run.Kind), new KeyValuePair<string, object?>("workflow.outcome", run.Status.ToString()));
    }

    /// <summary>The dispatcher saves the handler's context after it returns; tell pages once that save has happened.</summary>
    public void NotifyAfterCommit(MerchantDbContext db, Guid merchantId, Guid subjectId, Guid runId)
    {
        EventHandler<SavedChangesEventArgs>? handler = null;
        handler = (_, _) =>
        {
            db.SavedChanges -= handler;
            notifier.Notify(merchantId, subjectId, runId);
        };
        db.SavedChanges += handler;
    }

    private static string Describe(Exception ex) => Truncate(ex is DomainException or InjectedFaultException
        ? ex.Message
        : $"{ex.GetType().Name}: {ex.Message}");

    private static string Truncate(string text) => text.Length <= WorkflowStep.MaxErrorLength ? text : text[..WorkflowStep.MaxErrorLength];
}
