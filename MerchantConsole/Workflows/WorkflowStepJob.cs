using Hangfire;

namespace MerchantConsole.Workflows;

/// <summary>The Hangfire job that moves a run of any kind by one step. It takes the merchant from the run it drives, never a user.</summary>
public sealed class WorkflowStepJob(WorkflowEngine engine)
{
    // Retries follow the run's own policy (recorded attempts, backoff, Stuck), not Hangfire's.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunNextStepAsync(Guid merchantId, Guid runId) => await engine.RunNextStepAsync(merchantId, runId);
}
