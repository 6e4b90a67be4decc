using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Workflows;

/// <summary>
/// The recurring backstop, for runs of every kind: the database, not the job queue, says which runs are unfinished.
/// Any Running run whose next step has waited, or run, longer than the threshold is driven here, in its own merchant's
/// scope, as far as it can go now; a hung step is failed as a timed-out attempt first.
/// </summary>
public sealed class WorkflowSweeper(
    ProviderContextOptions contexts,
    WorkflowEngine engine,
    TimeProvider clock,
    IOptionsMonitor<WorkflowOptions> options,
    ILogger<WorkflowSweeper> logger)
{
    public const string RecurringJobId = "workflow-sweeper";
    private const int MaxStepsPerRun = 10;

    /// <returns>How many runs were re-driven.</returns>
    /// <remarks>
    /// No DisableConcurrentExecution: two overlapping sweeps are safe (the run's concurrency stamp lets one worker win
    /// each save), while a lock would park a Hangfire worker for its whole timeout each time a sweep overlaps.
    /// </remarks>
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var overdue = await FindOverdueAsync(cancellationToken);
        foreach (var (merchantId, runId, kind) in overdue)
        {
            logger.LogInformation("Sweeper re-drives {Kind} run {RunId} of merchant {MerchantId}.", kind, runId, merchantId);
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
                    logger.LogError(ex, "Sweeping {Kind} run {RunId} failed.", kind, runId);
                    break;
                }
            }
        }
        return overdue.Count;
    }

    private async Task<List<(Guid MerchantId, Guid RunId, string Kind)>> FindOverdueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateAcrossMerchants(SystemActors.Activation);

        var overdue = new List<(Guid, Guid, string)>();
        for (var skip = 0; ; skip += settings.SweepBatchSize)
        {
            var batch = await db.WorkflowRuns.AsNoTracking().WithSteps()
                .Where(r => r.Status == WorkflowRunStatus.Running)
                .OrderBy(r => r.Id)
                .Skip(skip).Take(settings.SweepBatchSize)
                .ToListAsync(cancellationToken);
            overdue.AddRange(batch.Where(r => r.IsOverdue(now, settings.StuckAfter)).Select(r => (r.MerchantId, r.Id, r.Kind)));
            if (batch.Count < settings.SweepBatchSize)
                return overdue;
        }
    }
}
