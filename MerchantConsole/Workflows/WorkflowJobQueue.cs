using Hangfire;

namespace MerchantConsole.Workflows;

/// <summary>
/// Puts step jobs on the Hangfire queue. Only a fast path: the database is the source of truth, and the sweeper
/// drives any run whose job was never enqueued or was lost, so enqueueing failures are logged, not thrown.
/// </summary>
public sealed class WorkflowJobQueue(IBackgroundJobClient jobs, ILogger<WorkflowJobQueue> logger)
{
    public void RunNextStep(Guid merchantId, Guid runId)
    {
        try
        {
            jobs.Enqueue<WorkflowStepJob>(j => j.RunNextStepAsync(merchantId, runId));
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
            // Hangfire keeps schedule times in whole seconds and may start a job up to a second early; a job that
            // arrives before the step's retry time does nothing, so aim just past it.
            var fireAt = at.AddTicks(TimeSpan.TicksPerSecond - at.Ticks % TimeSpan.TicksPerSecond).AddSeconds(1);
            jobs.Schedule<WorkflowStepJob>(j => j.RunNextStepAsync(merchantId, runId), fireAt);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not schedule the retry of run {RunId}; the sweeper will drive it.", runId);
        }
    }
}
