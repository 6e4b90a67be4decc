using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Workflows;

/// <summary>
/// Running until every step is done (Succeeded), or until a step has failed too often (Stuck, waiting for
/// support to retry, repair or roll back), or until rolled back (RolledBack). Succeeded and RolledBack are final.
/// </summary>
public enum WorkflowRunStatus
{
    Running,
    Succeeded,
    Stuck,
    RolledBack,
}

/// <summary>A step of a workflow kind, as refusals and notes name it; the UI shows its translated name.</summary>
public sealed record WorkflowStepRef(string Kind, string Name)
{
    public override string ToString() => Name;
}

/// <summary>A step of a workflow as a run records it when it starts.</summary>
/// <param name="Irreversible">Once this step is done the run can no longer be rolled back (its effect is live).</param>
public sealed record WorkflowStepSpec(string Name, bool Irreversible = false);

/// <summary>
/// One run of a workflow over one subject (a plan to activate, a benefit to activate…) as an ordered list of recorded
/// steps (ARCHITECTURE.md, "The workflow engine"). The database row, not the job queue, is the truth: jobs and the
/// sweeper read <see cref="NextStep"/> and drive it through this state machine. What each step does is the workflow's
/// business; the run only knows the order, the attempts and the outcome.
/// </summary>
public sealed class WorkflowRun : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxKindLength = 40;
    public const int MaxStepNameLength = 40;
    public const int MaxVariantLength = 40;
    public static readonly TextLimit SubjectNameLimit = TextLimit.Of(200);

    private readonly List<WorkflowStep> _steps = [];
    private readonly List<WorkflowRunNote> _notes = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    /// <summary>Which workflow this is a run of, e.g. "PlanActivation"; the engine looks its definition up by it.</summary>
    public string Kind { get; private set; } = "";
    /// <summary>The record the run works on (a plan for "PlanActivation").</summary>
    public Guid SubjectId { get; private set; }
    /// <summary>
    /// The subject's name when the run started, so runs of every kind can be listed and searched without a join per
    /// kind; the run page shows the subject as it is now.
    /// </summary>
    public string SubjectName { get; private set; } = "";
    /// <summary>What sort of run of its workflow this is, if the workflow has several (a plan's first activation or a revision).</summary>
    public string? Variant { get; private set; }
    /// <summary>The version of the subject this run takes live, if the subject is versioned.</summary>
    public int? SubjectRevision { get; private set; }
    public WorkflowRunStatus Status { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string RequestedBy { get; private set; } = "";
    // Two workers (a Hangfire retry and the sweeper) may drive the same run; the stamp makes the slower one fail. Steps
    // and notes are parts of the run: the data layer renews this stamp when any of them changes (IAggregatePart).
    public Guid ConcurrencyStamp { get; private set; }
    /// <summary>In run order.</summary>
    public IReadOnlyList<WorkflowStep> Steps => _steps;
    public IReadOnlyList<WorkflowRunNote> Notes => _notes;

    public bool IsFinished => Status is WorkflowRunStatus.Succeeded or WorkflowRunStatus.RolledBack;

    /// <summary>The first step not yet done, while the run can still move; null once finished.</summary>
    public WorkflowStep? NextStep => IsFinished ? null : _steps.FirstOrDefault(s => !s.IsDone);

    /// <summary>Whether support may roll the run back now: not finished, no step running, no irreversible step done.</summary>
    public bool CanRollBack => !IsFinished
                               && _steps.All(s => s.Status != WorkflowStepStatus.Running)
                               && !_steps.Any(s => s.Irreversible && s.IsDone);

    private WorkflowRun() { }

    /// <summary>Records a new run of <paramref name="kind"/> over a subject, with its first step due now.</summary>
    public static WorkflowRun Start(string kind, Guid merchantId, Guid subjectId, string subjectName, IReadOnlyList<WorkflowStepSpec> steps,
        string requestedBy, DateTimeOffset now, string? variant = null, int? subjectRevision = null)
    {
        if (string.IsNullOrWhiteSpace(kind) || kind.Length > MaxKindLength)
            throw new DomainException("Run.KindInvalid", "A run needs the kind of its workflow.");
        if (steps.Count == 0 || steps.Any(s => string.IsNullOrWhiteSpace(s.Name) || s.Name.Length > MaxStepNameLength)
            || steps.Select(s => s.Name).Distinct().Count() != steps.Count)
            throw new DomainException("Run.StepsInvalid", "A run needs at least one step, each with its own name.");
        var by = RequireWho(requestedBy);
        var run = new WorkflowRun
        {
            Id = Guid.NewGuid(),
            MerchantId = merchantId,
            Kind = kind,
            SubjectId = subjectId,
            SubjectName = TextLength.Clip(subjectName.Trim(), SubjectNameLimit.MaxUtf16),
            Variant = variant,
            SubjectRevision = subjectRevision,
            Status = WorkflowRunStatus.Running,
            StartedAt = now,
            RequestedBy = by,
        };
        for (var i = 0; i < steps.Count; i++)
            run._steps.Add(new WorkflowStep(steps[i].Name, i + 1, steps[i].Irreversible));
        run._steps[0].MakeDue(now);
        return run;
    }

    public WorkflowStep Step(string name) =>
        _steps.SingleOrDefault(s => s.Name == name)
        ?? throw new DomainException("Run.StepUnknown", "This run has no step {Step}.", ("Step", Ref(name)));

    /// <summary>Starts an attempt at <paramref name="name"/>, which must be the next step.</summary>
    /// <remarks>
    /// Starting before <see cref="WorkflowStep.NextAttemptAt"/> is allowed: steps are idempotent and the time is
    /// advice for the queue and the sweeper. A Running step cannot start again; a hung one is failed first (see
    /// <see cref="IsOverdue"/>) so the attempt counts.
    /// </remarks>
    public void StartStep(string name, DateTimeOffset now)
    {
        EnsureRunning();
        var step = RequireNext(name);
        step.Start(now);
    }

    public void CompleteStep(string name, DateTimeOffset now)
    {
        EnsureRunning();
        RequireNext(name).Complete(now);
        Advance(now);
    }

    /// <summary>Schedules the next attempt with backoff, or marks the run Stuck once the policy's attempts are spent.</summary>
    public void FailStep(string name, string error, DateTimeOffset now, StepRetryPolicy policy)
    {
        EnsureRunning();
        var step = RequireNext(name);
        if (step.Attempts >= policy.MaxAttempts)
        {
            step.Fail(error, now, nextAttemptAt: null);
            Status = WorkflowRunStatus.Stuck;
        }
        else
        {
            step.Fail(error, now, now + policy.DelayAfter(step.Attempts));
        }
    }

    /// <summary>
    /// Keeps what a step produced (the id of a record it created or pinned), so a repeated attempt finds it instead of
    /// making another. Recording the same value again changes nothing; another value is refused.
    /// </summary>
    public void RecordOutput(string step, string value)
    {
        EnsureRunning();
        Step(step).RecordOutput(value);
    }

    /// <summary>Support fixed the next step by hand; it counts as done and the run moves on.</summary>
    public void MarkStepRepaired(string name, string reason, string by, DateTimeOffset now)
    {
        EnsureNotFinished();
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Run.RepairReasonRequired", "Say what was repaired: a reason is required to mark a step repaired.");
        var who = RequireWho(by);
        var step = RequireNext(name);
        // A worker holds the attempt: its result would land on top of the repair, or the repair on top of its result.
        if (step.Status == WorkflowStepStatus.Running)
            throw new DomainException("Activation.StepRunning",
                "Step {Step} is running; wait for it to finish or fail before marking it repaired.", ("Step", Ref(name)));
        step.Repair(now);
        _notes.Add(new WorkflowRunNote(now, who, SupportAction.MarkRepaired, name, reason));
        Status = WorkflowRunStatus.Running;
        Advance(now);
    }

    /// <summary>Stuck → Running: the failed step gets a fresh set of attempts and is due now.</summary>
    public void Retry(string by, string? reason, DateTimeOffset now)
    {
        if (Status != WorkflowRunStatus.Stuck)
            throw new DomainException("Run.RetryOnlyWhenStuck", "Only a stuck run can be retried; this run is {Status}.", ("Status", Status));
        var who = RequireWho(by);
        var step = NextStep!;
        step.ResetForRetry(now);
        _notes.Add(new WorkflowRunNote(now, who, SupportAction.Retry, step.Name, reason));
        Status = WorkflowRunStatus.Running;
    }

    /// <summary>
    /// Ends the run RolledBack and returns the steps whose effects the caller must undo, latest first. Failed steps
    /// are included because a failure may have left part of its work; undoing is idempotent.
    /// </summary>
    public IReadOnlyList<WorkflowStep> RollBack(string by, string? reason, DateTimeOffset now)
    {
        EnsureNotFinished();
        var who = RequireWho(by);
        if (_steps.FirstOrDefault(s => s.Status == WorkflowStepStatus.Running) is { } running)
            throw new DomainException("Run.RollbackWhileStepRunning", "Step {Step} is running; wait for it to finish or fail before rolling back.", ("Step", Ref(running.Name)));
        if (_steps.LastOrDefault(s => s.Irreversible && s.IsDone) is { } live)
            throw new DomainException("Run.RollbackAfterLive",
                "Step {Step} is done: its effect has gone live and customers may already rely on it; retry or repair the remaining steps instead of rolling back.",
                ("Step", Ref(live.Name)));

        var toUndo = _steps
            .Where(s => s.IsDone || s.Status == WorkflowStepStatus.Failed)
            .OrderByDescending(s => s.Order)
            .ToList();
        foreach (var step in toUndo)
            step.Undo(now);
        _notes.Add(new WorkflowRunNote(now, who, SupportAction.RollBack, null, reason));
        Status = WorkflowRunStatus.RolledBack;
        FinishedAt = now;
        return toUndo;
    }

    /// <summary>Whether the next step is waiting and may start now.</summary>
    public bool IsDue(DateTimeOffset now) =>
        Status == WorkflowRunStatus.Running
        && NextStep is { Status: WorkflowStepStatus.Pending or WorkflowStepStatus.Failed, NextAttemptAt: { } at }
        && at <= now;

    /// <summary>
    /// For the sweeper: the next step has been running, or due without being started, for longer than
    /// <paramref name="threshold"/>, i.e. its worker died or its job was lost. Fail a hung Running step, then enqueue it.
    /// </summary>
    public bool IsOverdue(DateTimeOffset now, TimeSpan threshold)
    {
        if (Status != WorkflowRunStatus.Running || NextStep is not { } step)
            return false;
        var since = step.Status == WorkflowStepStatus.Running ? step.StartedAt : step.NextAttemptAt;
        return since is { } s && now - s > threshold;
    }

    private void Advance(DateTimeOffset now)
    {
        if (NextStep is { } next)
        {
            next.MakeDue(now);
            return;
        }
        Status = WorkflowRunStatus.Succeeded;
        FinishedAt = now;
    }

    private WorkflowStep RequireNext(string name)
    {
        var next = NextStep!;
        if (next.Name == name)
            return next;
        var step = Step(name);
        throw step.IsDone
            ? new DomainException("Run.StepAlreadyDone", "Step {Step} is already done.", ("Step", Ref(name)))
            : new DomainException("Run.StepNotNext", "Step {Step} cannot run yet: {Next} comes first.", ("Step", Ref(name)), ("Next", Ref(next.Name)));
    }

    private void EnsureRunning()
    {
        if (Status == WorkflowRunStatus.Stuck)
            throw new DomainException("Run.Stuck", "The run is stuck; support has to retry, repair or roll it back.");
        EnsureNotFinished();
    }

    private void EnsureNotFinished()
    {
        if (IsFinished)
            throw new DomainException("Run.Finished", "The run has finished ({Status}).", ("Status", Status));
    }

    /// <summary>A step of this run as a refusal names it, so the UI can show the step's translated name.</summary>
    public WorkflowStepRef Ref(string step) => new(Kind, step);

    private static string RequireWho(string by) =>
        string.IsNullOrWhiteSpace(by) ? throw new DomainException("Run.ActorRequired", "Record who is acting on the run.") : by.Trim();
}
