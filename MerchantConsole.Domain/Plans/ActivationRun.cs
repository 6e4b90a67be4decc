using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

public enum ActivationRunKind
{
    /// <summary>A Draft plan's first activation.</summary>
    Activate,
    /// <summary>A pending revision of an Active plan.</summary>
    ActivateRevision,
}

/// <summary>
/// Running until every step is done (Succeeded), or until a step has failed too often (Stuck, waiting for
/// support to retry, repair or roll back), or until rolled back (RolledBack). Succeeded and RolledBack are final.
/// </summary>
public enum ActivationRunStatus
{
    Running,
    Succeeded,
    Stuck,
    RolledBack,
}

/// <summary>
/// One activation of a plan as an ordered list of recorded steps (DESIGN §2). The database row, not the job
/// queue, is the truth: jobs and the sweeper read <see cref="NextStep"/> and drive it through this state machine.
/// Suspend and retire need no run: they change the plan and its products in one transaction.
/// </summary>
public sealed class ActivationRun : IMerchantOwned, IConcurrencyVersioned
{
    private static readonly ActivationStepName[] StepOrder =
    [
        ActivationStepName.Validate,
        ActivationStepName.FreezeTemplateVersion,
        ActivationStepName.ProductsPending,
        ActivationStepName.PlanActive,
        ActivationStepName.ProductsActive,
    ];

    private readonly List<ActivationStep> _steps = [];
    private readonly List<ActivationRunNote> _notes = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid PlanId { get; private set; }
    public ActivationRunKind Kind { get; private set; }
    /// <summary>The plan revision this run takes live.</summary>
    public int Revision { get; private set; }
    public ActivationRunStatus Status { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string RequestedBy { get; private set; } = "";
    /// <summary>The card template version this run pinned in its freeze step; cards issued under the revision use it.</summary>
    public Guid? TemplateVersionId { get; private set; }
    // Two workers (a Hangfire retry and the sweeper) may drive the same run; the stamp makes the slower one fail. Steps
    // and notes are parts of the run: the data layer renews this stamp when any of them changes (IAggregatePart).
    public Guid ConcurrencyStamp { get; private set; }
    /// <summary>In run order.</summary>
    public IReadOnlyList<ActivationStep> Steps => _steps;
    public IReadOnlyList<ActivationRunNote> Notes => _notes;

    public bool IsFinished => Status is ActivationRunStatus.Succeeded or ActivationRunStatus.RolledBack;

    /// <summary>The first step not yet done, while the run can still move; null once finished.</summary>
    public ActivationStep? NextStep => IsFinished ? null : _steps.FirstOrDefault(s => !s.IsDone);

    private ActivationRun() { }

    /// <summary>Begins the plan's activation and records the run that drives it.</summary>
    public static ActivationRun StartFor(MembershipPlan plan, string requestedBy, DateTimeOffset now)
    {
        var by = RequireWho(requestedBy);
        var kind = plan.Status == PlanStatus.Draft ? ActivationRunKind.Activate : ActivationRunKind.ActivateRevision;
        plan.BeginActivation(now);

        var run = new ActivationRun
        {
            Id = Guid.NewGuid(),
            MerchantId = plan.MerchantId,
            PlanId = plan.Id,
            Kind = kind,
            Revision = kind == ActivationRunKind.Activate ? plan.Revision : plan.Revision + 1,
            Status = ActivationRunStatus.Running,
            StartedAt = now,
            RequestedBy = by,
        };
        for (var i = 0; i < StepOrder.Length; i++)
            run._steps.Add(new ActivationStep(StepOrder[i], i + 1));
        run._steps[0].MakeDue(now);
        return run;
    }

    /// <summary>Starts an attempt at <paramref name="name"/>, which must be the next step.</summary>
    /// <remarks>
    /// Starting before <see cref="ActivationStep.NextAttemptAt"/> is allowed: steps are idempotent and the time is
    /// advice for the queue and the sweeper. A Running step cannot start again; a hung one is failed first (see
    /// <see cref="IsOverdue"/>) so the attempt counts.
    /// </remarks>
    public void StartStep(ActivationStepName name, DateTimeOffset now)
    {
        EnsureRunning();
        var step = RequireNext(name);
        step.Start(now);
    }

    public void CompleteStep(ActivationStepName name, DateTimeOffset now)
    {
        EnsureRunning();
        RequireNext(name).Complete(now);
        Advance(now);
    }

    /// <summary>Schedules the next attempt with backoff, or marks the run Stuck once the policy's attempts are spent.</summary>
    public void FailStep(ActivationStepName name, string error, DateTimeOffset now, StepRetryPolicy policy)
    {
        EnsureRunning();
        var step = RequireNext(name);
        if (step.Attempts >= policy.MaxAttempts)
        {
            step.Fail(error, now, nextAttemptAt: null);
            Status = ActivationRunStatus.Stuck;
        }
        else
        {
            step.Fail(error, now, now + policy.DelayAfter(step.Attempts));
        }
    }

    /// <summary>
    /// The effect of step "freeze the template version": records which version this run takes live. Recording the
    /// same version again changes nothing; another one is refused, because the plan cannot change while in flight.
    /// </summary>
    public void FreezeTemplateVersion(Guid versionId)
    {
        EnsureRunning();
        if (versionId == Guid.Empty)
            throw new DomainException("Run.TemplateVersionMissing", "Choose a card template version before activating.");
        if (TemplateVersionId is { } frozen && frozen != versionId)
            throw new DomainException("Run.TemplateVersionAlreadyFrozen", "This run already froze another card template version.");
        TemplateVersionId = versionId;
    }

    /// <summary>Support fixed the next step by hand; it counts as done and the run moves on.</summary>
    public void MarkStepRepaired(ActivationStepName name, string reason, string by, DateTimeOffset now)
    {
        EnsureNotFinished();
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Run.RepairReasonRequired", "Say what was repaired: a reason is required to mark a step repaired.");
        var who = RequireWho(by);
        var step = RequireNext(name);
        // A worker holds the attempt: its result would land on top of the repair, or the repair on top of its result.
        if (step.Status == ActivationStepStatus.Running)
            throw new DomainException("Activation.StepRunning",
                "Step {Step} is running; wait for it to finish or fail before marking it repaired.", ("Step", name));
        step.Repair(now);
        _notes.Add(new ActivationRunNote(now, who, SupportAction.MarkRepaired, name, reason));
        Status = ActivationRunStatus.Running;
        Advance(now);
    }

    /// <summary>Stuck → Running: the failed step gets a fresh set of attempts and is due now.</summary>
    public void Retry(string by, string? reason, DateTimeOffset now)
    {
        if (Status != ActivationRunStatus.Stuck)
            throw new DomainException("Run.RetryOnlyWhenStuck", "Only a stuck run can be retried; this run is {Status}.", ("Status", Status));
        var who = RequireWho(by);
        var step = NextStep!;
        step.ResetForRetry(now);
        _notes.Add(new ActivationRunNote(now, who, SupportAction.Retry, step.Name, reason));
        Status = ActivationRunStatus.Running;
    }

    /// <summary>
    /// Ends the run RolledBack and returns the steps whose effects the caller must undo, latest first. Failed steps
    /// are included because a failure may have left part of its work; undoing is idempotent.
    /// </summary>
    public IReadOnlyList<ActivationStep> RollBack(string by, string? reason, DateTimeOffset now)
    {
        EnsureNotFinished();
        var who = RequireWho(by);
        if (_steps.FirstOrDefault(s => s.Status == ActivationStepStatus.Running) is { } running)
            throw new DomainException("Run.RollbackWhileStepRunning", "Step {Step} is running; wait for it to finish or fail before rolling back.", ("Step", running.Name));
        if (_steps.Single(s => s.Name == ActivationStepName.PlanActive).IsDone)
            throw new DomainException("Run.RollbackAfterLive", "The plan has already gone live and customers may have joined; retry or repair the remaining steps instead of rolling back.");

        var toUndo = _steps
            .Where(s => s.IsDone || s.Status == ActivationStepStatus.Failed)
            .OrderByDescending(s => s.Order)
            .ToList();
        foreach (var step in toUndo)
            step.Undo(now);
        _notes.Add(new ActivationRunNote(now, who, SupportAction.RollBack, null, reason));
        Status = ActivationRunStatus.RolledBack;
        FinishedAt = now;
        return toUndo;
    }

    /// <summary>Whether the next step is waiting and may start now.</summary>
    public bool IsDue(DateTimeOffset now) =>
        Status == ActivationRunStatus.Running
        && NextStep is { Status: ActivationStepStatus.Pending or ActivationStepStatus.Failed, NextAttemptAt: { } at }
        && at <= now;

    /// <summary>
    /// For the sweeper: the next step has been running, or due without being started, for longer than
    /// <paramref name="threshold"/>, i.e. its worker died or its job was lost. Fail a hung Running step, then enqueue it.
    /// </summary>
    public bool IsOverdue(DateTimeOffset now, TimeSpan threshold)
    {
        if (Status != ActivationRunStatus.Running || NextStep is not { } step)
            return false;
        var since = step.Status == ActivationStepStatus.Running ? step.StartedAt : step.NextAttemptAt;
        return since is { } s && now - s > threshold;
    }

    private void Advance(DateTimeOffset now)
    {
        if (NextStep is { } next)
        {
            next.MakeDue(now);
            return;
        }
        Status = ActivationRunStatus.Succeeded;
        FinishedAt = now;
    }

    private ActivationStep RequireNext(ActivationStepName name)
    {
        var next = NextStep!;
        if (next.Name == name)
            return next;
        var step = _steps.Single(s => s.Name == name);
        throw step.IsDone
            ? new DomainException("Run.StepAlreadyDone", "Step {Step} is already done.", ("Step", name))
            : new DomainException("Run.StepNotNext", "Step {Step} cannot run yet: {Next} comes first.", ("Step", name), ("Next", next.Name));
    }

    private void EnsureRunning()
    {
        if (Status == ActivationRunStatus.Stuck)
            throw new DomainException("Run.Stuck", "The run is stuck; support has to retry, repair or roll it back.");
        EnsureNotFinished();
    }

    private void EnsureNotFinished()
    {
        if (IsFinished)
            throw new DomainException("Run.Finished", "The run has finished ({Status}).", ("Status", Status));
    }

    private static string RequireWho(string by) =>
        string.IsNullOrWhiteSpace(by) ? throw new DomainException("Run.ActorRequired", "Record who is acting on the run.") : by.Trim();
}
