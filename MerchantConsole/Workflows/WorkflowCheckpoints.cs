namespace MerchantConsole.Workflows;

public enum WorkflowCheckpoint
{
    /// <summary>A worker has loaded the run and has changed nothing yet.</summary>
    Loaded,
    /// <summary>A worker has saved the start of an attempt and is about to do the step's work.</summary>
    Started,
}

/// <summary>
/// Where a worker driving a run may be held up. Production passes straight through; tests hold one worker here while
/// another runs, to interleave them deterministically at every step boundary.
/// </summary>
public interface IWorkflowCheckpoints
{
    ValueTask ReachedAsync(WorkflowCheckpoint checkpoint, Guid runId, string step, CancellationToken ct);
}

public sealed class NoWorkflowCheckpoints : IWorkflowCheckpoints
{
    public static NoWorkflowCheckpoints Instance { get; } = new();

    public ValueTask ReachedAsync(WorkflowCheckpoint checkpoint, Guid runId, string step, CancellationToken ct) => ValueTask.CompletedTask;
}
