using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;

namespace MerchantConsole.Tests.Features.Plans.Activation;

/// <summary>
/// Holds the first worker that reaches an armed checkpoint of a run until the test releases it, so a test can run a
/// second worker to completion in between: a deterministic interleaving instead of a lucky one.
/// </summary>
internal sealed class PausingCheckpoints : IWorkflowCheckpoints
{
    private Pause? _armed;

    public Pause Arm(WorkflowCheckpoint at, Guid runId)
    {
        var pause = new Pause(at, runId);
        _armed = pause;
        return pause;
    }

    public async ValueTask ReachedAsync(WorkflowCheckpoint checkpoint, Guid runId, string step, CancellationToken ct)
    {
        var armed = _armed;
        if (armed is null || armed.At != checkpoint || armed.RunId != runId)
            return;
        if (Interlocked.CompareExchange(ref _armed, null, armed) != armed)
            return; // another worker took this pause; only one is held
        armed.Held.SetResult(step);
        await armed.Resume.Task.WaitAsync(ct);
    }

    internal sealed class Pause(WorkflowCheckpoint at, Guid runId)
    {
        public WorkflowCheckpoint At { get; } = at;
        public Guid RunId { get; } = runId;
        public TaskCompletionSource<string> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Which step the held worker was at. The wait only guards against a test that never reaches its pause.</summary>
        public Task<string> HeldAtAsync() => Held.Task.WaitAsync(TimeSpan.FromMinutes(1));

        public void Release() => Resume.TrySetResult();
    }
}
