using Hangfire;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>
/// Puts step jobs on the Hangfire queue. Only a fast path: the database is the source of truth, and the sweeper
/// drives any run whose job was never enqueued or was lost, so enqueueing failures are logged, not thrown.
/// </summary>
public sealed class ActivationJobQueue(IBackgroundJobClient jobs, ILogger<ActivationJobQueue> logger)
{
    public void RunNextStep(Guid merchantId, Guid runId)
    {
        try
        {
            jobs.Enqueue<ActivationStepJob>(j => j.RunNextStepAsync(merchantId, runId));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not enqueue the next step of run {RunId}; the sweeper will drive it.", runId);
        }
    }

    public void RunNextStepAt(Guid merchantId, Guid runId, DateTimeOffset at)
    {
        try
        {
            jobs.Schedule<ActivationStepJob>(j => j.RunNextStepAsync(merchantId, runId), at);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not schedule the retry of run {RunId}; the sweeper will drive it.", runId);
        }
    }
}
