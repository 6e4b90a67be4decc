using Hangfire;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Coupons;

public static class CouponsSetup
{
    public static IServiceCollection AddCoupons(this IServiceCollection services)
    {
        services.AddOptions<CouponOptions>().BindConfiguration(CouponOptions.Section)
            .Validate(o => o.ReversalWindow >= TimeSpan.Zero && o.ExpiryBatchSize > 0, "Coupons: ReversalWindow >= 0 and ExpiryBatchSize > 0.")
            .ValidateOnStart();
        services.AddSingleton<ICouponCodeRandom, SecureCouponCodeRandom>();
        services.AddScoped<CouponTemplateService>();
        services.AddScoped<ActivityService>();
        services.AddScoped<CouponIssuer>();
        services.AddScoped<CouponBatchIssuer>();
        services.AddScoped<CouponRedemption>();
        services.AddTransient<CouponExpiryJob>();
        return services;
    }

    /// <summary>Registers the recurring expiry job.</summary>
    public static IEndpointRouteBuilder MapCoupons(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<CouponOptions>>().Value;
        endpoints.ServiceProvider.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<CouponExpiryJob>(CouponExpiryJob.RecurringJobId, j => j.ExpireAsync(CancellationToken.None), options.ExpiryCron);
        return endpoints;
    }
}
