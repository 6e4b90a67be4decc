using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Grants;

/// <summary>Marker for the grant page's resx pair (GrantStrings.resx / .zh-CN.resx).</summary>
public sealed class GrantStrings;

public static class GrantsSetup
{
    public const string AdminRoles = StaffRoles.MerchantAdmin;

    public static IServiceCollection AddGrants(this IServiceCollection services)
    {
        services.AddOptions<GrantOptions>().BindConfiguration(GrantOptions.Section)
            .Validate(o => o.BatchSize > 0 && o.Lease > TimeSpan.Zero && o.MaxRows > 0 && o.MaxUploadBytes > 0, "Grants: BatchSize, Lease, MaxRows and MaxUploadBytes > 0.")
            .ValidateOnStart();
        services.AddScoped<BulkCouponIssuer>();
        services.AddScoped<GrantService>();
        services.AddTransient<CouponGrantJob>();
        services.AddTransient<PeriodicIssuanceJob>();
        services.AddSingleton<IGrantProgress, GrantProgress>();
        services.AddSingleton<IGrantBatchHook>(sp =>
            sp.GetRequiredService<IOptions<GrantOptions>>().Value.TestPauseAfterFirstBatch is { Ticks: > 0 } pause
            && sp.GetRequiredService<IHostEnvironment>().IsEnvironment("Testing")
                ? new PausingGrantBatchHook(pause, sp.GetRequiredService<ILogger<PausingGrantBatchHook>>())
                : new NoGrantBatchHook());
        services.TryAddSingleton<ICouponActivityAudience, NoCouponActivityAudience>();
        return services;
    }

    /// <summary>The error report download and the recurring jobs (sweeper, monthly/birthday issuance).</summary>
    public static IEndpointRouteBuilder MapGrants(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/grants/{grantId:guid}/errors.csv", async (Guid grantId, GrantService grants, RefusalText text, IStringLocalizer<GrantStrings> t, HttpContext http) =>
        {
            var grant = await grants.FindAsync(grantId, http.RequestAborted);
            if (grant is null)
                return Results.NotFound();
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"grant-{grantId:N}-errors.csv\"";
            var headers = new Dictionary<string, string> { ["Row"] = t["Report.Row"], ["Reference"] = t["Report.Reference"], ["Reason"] = t["Report.Reason"] };
            await grants.WriteReportAsync(grantId, http.Response.Body, text, headers, http.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization(p => p.RequireRole(AdminRoles));

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GrantOptions>>().Value;
        var recurring = endpoints.ServiceProvider.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<CouponGrantJob>(CouponGrantJob.SweeperJobId, j => j.SweepAsync(CancellationToken.None), options.SweepCron);
        recurring.AddOrUpdate<PeriodicIssuanceJob>(PeriodicIssuanceJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), "5 * * * *");
        return endpoints;
    }
}
