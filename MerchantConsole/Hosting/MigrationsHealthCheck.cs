using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantConsole.Hosting;

/// <summary>
/// Not ready while the database lacks a migration this build expects: a node started before `migrate` ran (or with
/// migrate-on-start off) stays out of the load balancer instead of failing requests. Once every migration is applied
/// the answer cannot change for this process, so it stops asking.
/// </summary>
public sealed class MigrationsHealthCheck(ProviderContextOptions contexts) : IHealthCheck
{
    private volatile bool _allApplied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_allApplied)
            return HealthCheckResult.Healthy("every migration is applied");
        try
        {
            await using var db = contexts.CreateAcrossMerchants(SystemActors.Jobs);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
                return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending, first {pending[0]}: run the migrate command");
            _allApplied = true;
            return HealthCheckResult.Healthy("every migration is applied");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Could not read the applied migrations", ex);
        }
    }
}
