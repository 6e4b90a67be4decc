using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantConsole.Hosting;

/// <summary>Healthy when Hangfire's storage answers and reports the servers that process jobs.</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            var servers = monitoring.Servers().Count;
            var failed = monitoring.FailedCount();
            return Task.FromResult(HealthCheckResult.Healthy($"{servers} server(s), {failed} failed job(s)"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage is unreachable", ex));
        }
    }
}
