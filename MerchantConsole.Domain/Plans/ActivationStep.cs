using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>The steps of an activation, in the order they run (DESIGN §2).</summary>
public enum ActivationStepName
{
    /// <summary>The dry run. Its problems are not transient: roll the run back rather than failing the step.</summary>
    Validate = 1,
    FreezeTemplateVersion = 2,
    /// <summary><see cref="MembershipPlan.MarkProductsPending"/>.</summary>
    ProductsPending = 3,
    /// <summary><see cref="MembershipPlan.MarkActive"/>, written together with the PlanActivated message.</summary>
    PlanActive = 4,
    /// <summary><see cref="MembershipPlan.MarkProductsActive"/>, on the PlanActivated message.</summary>
    ProductsActive = 5,
}

public enum ActivationStepStatus
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
public static class ActivationStepStatuses
{
    /// <summary>Succeeded, or repaired by hand: either way the run moves past it.</summary>
    public static bool IsDone(this ActivationStepStatus status) => status is ActivationStepStatus.Succeeded or ActivationStepStatus.Repaired;
}

/// <summary>One step of an <see cref="ActivationRun"/>; changed only through the run, which owns the state machine.</summary>
public sealed class ActivationStep : IAggregatePart
{
    /// <summary>Exception text can be any length; the column holds this much.</summary>
    public const int MaxErrorLength = 4000;

    public Guid Id { get; private set; }
    public ActivationStepName Name { get; private set; }
    public int Order { get; private set; }
    public ActivationStepStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>Start of the latest attempt.</summary>
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>When the step is due to run: set when it becomes the next step and after each failure.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public bool IsDone => Status.IsDone();

    private ActivationStep() { }

    internal ActivationStep(ActivationStepName name, int order)
    {
        Id = Guid.NewGuid();
        Name = name;
        Order = order;
        Status = ActivationStepStatus.Pending;
    }

    internal void MakeDue(DateTimeOffset at) => NextAttemptAt = at;

    internal void Start(DateTimeOffset now)
    {
        if (Status is not (ActivationStepStatus.Pending or ActivationStepStatus.Failed))
            throw new DomainException("Run.StepCannotStart", "Step {Step} is {Status} and cannot start.", ("Step", Name), ("Status", Status));
        Status = ActivationStepStatus.Running;
        Attempts++;
        StartedAt = now;
        FinishedAt = null;
        NextAttemptAt = null;
    }

    internal void Complete(DateTimeOffset now)
    {
        EnsureRunning();
        Status = ActivationStepStatus.Succeeded;
        FinishedAt = now;
    }

    internal void Fail(string error, DateTimeOffset now, DateTimeOffset? nextAttemptAt)
    {
        EnsureRunning();
        Status = ActivationStepStatus.Failed;
        LastError = string.IsNullOrWhiteSpace(error) ? "Unknown error." : TextLength.Clip(error.Trim(), MaxErrorLength);
        FinishedAt = now;
        NextAttemptAt = nextAttemptAt;
    }

    internal void Repair(DateTimeOffset now)
    {
        if (IsDone || Status == ActivationStepStatus.Undone)
            throw new DomainException("Run.StepNothingToRepair", "Step {Step} is {Status}; there is nothing to repair.", ("Step", Name), ("Status", Status));
        Status = ActivationStepStatus.Repaired;
        FinishedAt = now;
        NextAttemptAt = null;
    }

    internal void ResetForRetry(DateTimeOffset now)
    {
        Status = ActivationStepStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }

    internal void Undo(DateTimeOffset now)
    {
        Status = ActivationStepStatus.Undone;
        FinishedAt = now;
        NextAttemptAt = null;
    }

    private void EnsureRunning()
    {
        if (Status != ActivationStepStatus.Running)
            throw new DomainException("Run.StepNotRunning", "Step {Step} is {Status}, not Running.", ("Step", Name), ("Status", Status));
    }
}
