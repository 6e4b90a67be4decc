using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Workflows;

public enum WorkflowStepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    /// <summary>Support fixed it by hand; counts as done.</summary>
    Repaired,
    /// <summary>Its effects were undone by a rollback.</summary>
    Undone,
}

/// <summary>The one home of "a step is done", for the step itself and for every view of it.</summary>
public static class WorkflowStepStatuses
{
    /// <summary>Succeeded, or repaired by hand: either way the run moves past it.</summary>
    public static bool IsDone(this WorkflowStepStatus status) => status is WorkflowStepStatus.Succeeded or WorkflowStepStatus.Repaired;
}

/// <summary>One step of a <see cref="WorkflowRun"/>; changed only through the run, which owns the state machine.</summary>
public sealed class WorkflowStep : IAggregatePart
{
    /// <summary>Exception text can be any length; the column holds this much.</summary>
    public const int MaxErrorLength = 4000;
    public const int MaxOutputLength = 200;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public int Order { get; private set; }
    /// <summary>Once done, the run can no longer be rolled back (see <see cref="WorkflowStepSpec"/>).</summary>
    public bool Irreversible { get; private set; }
    public WorkflowStepStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>Start of the latest attempt.</summary>
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>When the step is due to run: set when it becomes the next step and after each failure.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }
    /// <summary>What the step produced (e.g. the id of the record it pinned), for a repeated attempt to find.</summary>
    public string? Output { get; private set; }

    public bool IsDone => Status.IsDone();

    private WorkflowStep() { }

    internal WorkflowStep(string name, int order, bool irreversible)
    {
        Id = Guid.NewGuid();
        Name = name;
        Order = order;
        Irreversible = irreversible;
        Status = WorkflowStepStatus.Pending;
    }

    internal void MakeDue(DateTimeOffset at) => NextAttemptAt = at;

    internal void Start(DateTimeOffset now)
    {
        if (Status is not (WorkflowStepStatus.Pending or WorkflowStepStatus.Failed))
            throw new DomainException("Run.StepCannotStart", "Step {Step} is {Status} and cannot start.", ("Step", Name), ("Status", Status));
        Status = WorkflowStepStatus.Running;
        Attempts++;
        StartedAt = now;
        FinishedAt = null;
        NextAttemptAt = null;
    }

    internal void Complete(DateTimeOffset now)
    {
        EnsureRunning();
        Status = WorkflowStepStatus.Succeeded;
        FinishedAt = now;
    }

    internal void Fail(string error, DateTimeOffset now, DateTimeOffset? nextAttemptAt)
    {
        EnsureRunning();
        Status = WorkflowStepStatus.Failed;
        LastError = string.IsNullOrWhiteSpace(error) ? "Unknown error." : TextLength.Clip(error.Trim(), MaxErrorLength);
        FinishedAt = now;
        NextAttemptAt = nextAttemptAt;
    }

    internal void Repair(DateTimeOffset now)
    {
        if (IsDone || Status == WorkflowStepStatus.Undone)
            throw new DomainException("Run.StepNothingToRepair", "Step {Step} is {Status}; there is nothing to repair.", ("Step", Name), ("Status", Status));
        Status = WorkflowStepStatus.Repaired;
        FinishedAt = now;
        NextAttemptAt = null;
    }

    internal void RecordOutput(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxOutputLength)
            throw new DomainException("Run.StepOutputInvalid", "Step {Step} can only record a short, non-empty result.", ("Step", Name));
        if (Output is { } recorded && recorded != value)
            throw new DomainException("Run.StepOutputConflict", "Step {Step} already recorded another result.", ("Step", Name));
        Output = value;
    }

    internal void ResetForRetry(DateTimeOffset now)
    {
        Status = WorkflowStepStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }

    internal void Undo(DateTimeOffset now)
    {
        Status = WorkflowStepStatus.Undone;
        FinishedAt = now;
        NextAttemptAt = null;
    }

    private void EnsureRunning()
    {
        if (Status != WorkflowStepStatus.Running)
            throw new DomainException("Run.StepNotRunning", "Step {Step} is {Status}, not Running.", ("Step", Name), ("Status", Status));
    }
}
