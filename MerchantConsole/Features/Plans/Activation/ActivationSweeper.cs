using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>
/// The recurring backstop: the database, not the job queue, says which runs are unfinished. Any Running run whose
/// next step has waited, or run, longer than the threshold is driven here, in its own merchant's scope, as far as it
/// can go now; a hung step is failed as a timed-out attempt first.
/// </summary>
public sealed class ActivationSweeper(
    ProviderContextOptions contexts,
    ActivationEngine engine,
    TimeProvider clock,
    IOptionsMonitor<ActivationOptions> options,
    ILogger<ActivationSweeper> logger)
{
    public const string RecurringJobId = "activation-sweeper";
    private const int MaxStepsPerRun = 10;

    /// <returns>How many runs were re-driven.</returns>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var overdue = await FindOverdueAsync(cancellationToken);
        foreach (var (merchantId, runId) in overdue)
        {
            logger.LogInformation("Sweeper re-drives activation run {RunId} of merchant {MerchantId}.", runId, merchantId);
            for (var i = 0; i < MaxStepsPerRun; i++)
            {
                try
                {
                    if (await engine.RunNextStepAsync(merchantId, runId, cancellationToken) != StepOutcome.Completed)
                        break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One broken run must not keep the sweeper from the others.
                    logger.LogError(ex, "Sweeping activation run {RunId} failed.", runId);
                    break;
                }
            }
        }
        return overdue.Count;
    }

    private async Task<List<(Guid MerchantId, Guid RunId)>> FindOverdueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateAcrossMerchants(SystemActors.Activation);

        var overdue = new List<(Guid, Guid)>();
        for (var skip = 0; ; skip += settings.SweepBatchSize)
        {
            var batch = await db.ActivationRuns.AsNoTracking().WithSteps()
                .Where(r => r.Status == ActivationRunStatus.Running)
                .OrderBy(r => r.Id)
                .Skip(skip).Take(settings.SweepBatchSize)
                .ToListAsync(cancellationToken);
            overdue.AddRange(batch.Where(r => r.IsOverdue(now, settings.StuckAfter)).Select(r => (r.MerchantId, r.Id)));
            if (batch.Count < settings.SweepBatchSize)
                return overdue;
        }
    }
}
