using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Features.Support;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Dashboard;

public sealed record SupportCounts(int StuckRuns, int SlowRuns, int OutboxBacklog, long FailedJobs);

/// <summary>
/// The support dashboard's figures, across every merchant: workflow runs that need a person (counted the way the
/// support console filters them), messages not yet delivered, and Hangfire jobs that failed.
/// </summary>
public sealed class SupportDashboardService(SupportConsoleService support, ProviderContextOptions contexts, MerchantScope scope, JobStorage jobs)
{
    public const string RunsUrl = "/support/runs";
    public const string FailedJobsUrl = "/hangfire/jobs/failed";
    public const string RecurringJobsUrl = "/hangfire/recurring";

    public async Task<SupportCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var stuck = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.Stuck, null, null, 0, 1), cancellationToken);
        var slow = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.Slow, null, null, 0, 1), cancellationToken);
        // The console's reads already refuse anyone but support staff, so this context is only reached by them.
        await using var db = contexts.CreateAcrossMerchants(scope.UserName ?? "support");
        var backlog = await db.OutboxMessages.CountAsync(m => m.SentAt == null, cancellationToken);
        var failed = jobs.GetMonitoringApi().FailedCount();
        return new SupportCounts(stuck.Total, slow.Total, backlog, failed);
    }
}
