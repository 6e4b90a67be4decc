using Hangfire;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>The Hangfire job that moves a run by one step. It takes the merchant from the run it drives, never a user.</summary>
public sealed class ActivationStepJob(ActivationEngine engine)
{
    // Retries follow the run's own policy (recorded attempts, backoff, Stuck), not Hangfire's.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunNextStepAsync(Guid merchantId, Guid runId) => await engine.RunNextStepAsync(merchantId, runId);
}
