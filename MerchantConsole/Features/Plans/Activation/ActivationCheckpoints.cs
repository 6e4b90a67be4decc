using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans.Activation;

public enum ActivationCheckpoint
{
    /// <summary>A worker has loaded the run and its plan and has changed nothing yet.</summary>
    Loaded,
    /// <summary>A worker has saved the start of an attempt and is about to do the step's work.</summary>
    Started,
}

/// <summary>
/// Where a worker driving a run may be held up. Production passes straight through; tests hold one worker here while
/// another runs, to interleave them deterministically at every step boundary.
/// </summary>
public interface IActivationCheckpoints
{
    ValueTask ReachedAsync(ActivationCheckpoint checkpoint, Guid runId, ActivationStepName step, CancellationToken ct);
}

public sealed class NoActivationCheckpoints : IActivationCheckpoints
{
    public static NoActivationCheckpoints Instance { get; } = new();

    public ValueTask ReachedAsync(ActivationCheckpoint checkpoint, Guid runId, ActivationStepName step, CancellationToken ct) => ValueTask.CompletedTask;
}
