using Hangfire;
using MerchantConsole.Data;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Coupons;

public static class CouponsSetup
{
    /// <summary>Who designs templates and runs activities.</summary>
    public const string AdminRoles = StaffRoles.MerchantAdmin;

    /// <summary>Who redeems coupons at the till (admins too).</summary>
    public const string RedeemRoles = StaffRoles.MerchantAdmin + "," + StaffRoles.StoreManager;

    public const string TemplatesUrl = "/coupon-templates";
    public const string NewTemplateUrl = "/coupon-templates/new";
    public const string ActivitiesUrl = "/activities";
    public const string RedeemUrl = "/redeem";

    public static string TemplateUrl(Guid templateId) => $"/coupon-templates/{templateId}";

    public static string ActivityUrl(Guid activityId) => $"/activities/{activityId}";

    /// <summary>The manual grant page of a coupon activity (built with the grants feature).</summary>
    public static string GrantUrl(Guid activityId, Guid couponActivityId) => $"/activities/{activityId}/coupon-activities/{couponActivityId}/grant";

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
        services.AddScoped<CouponPageQueries>();
        services.AddScoped<IDemoMerchantSeed, CouponsDemo>();
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
