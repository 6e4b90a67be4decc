using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Features.Benefits.Activation;
using MerchantConsole.Features.Feed;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;

namespace MerchantConsole.Features.Benefits;

public static class BenefitsSetup
{
    public static string BenefitUrl(Guid benefitId) => $"/benefits/{benefitId}";
    public static string NewUrl(Guid planId) => $"/plans/{planId}/benefits/new";
    public static string EditUrl(Guid benefitId) => $"/benefits/{benefitId}/edit";

    /// <summary>Benefits, their activation workflow, issuance on join and the activity feed.</summary>
    public static IServiceCollection AddBenefits(this IServiceCollection services)
    {
        services.AddWorkflowDefinition<BenefitActivationWorkflow>();
        services.AddSingleton<IMessageHandler, BenefitBindHandler>();
        services.AddSingleton<IMessageHandler, MemberJoinedCouponHandler>();
        // Grants fall back to "nobody" only when no benefit registers the audience (they TryAdd theirs).
        services.AddSingleton<Grants.ICouponActivityAudience, BenefitCouponAudience>();
        services.AddSingleton<IMessageHandler, ActivityFeedEffectiveHandler>();
        services.AddSingleton<IMessageHandler, ActivityFeedEndedHandler>();
        services.AddScoped<BenefitService>();
        services.AddScoped<IDemoMerchantSeed, BenefitsDemo>();
        services.AddScoped<ActivityFeedQueries>();
        services.AddScoped<ActivityFeedRebuild>();
        services.AddTransient<BenefitVersionSwitchJob>();
        return services;
    }

    /// <summary>Registers the recurring switch-over of scheduled benefit versions.</summary>
    public static IEndpointRouteBuilder MapBenefits(this IEndpointRouteBuilder endpoints)
    {
        endpoints.ServiceProvider.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<BenefitVersionSwitchJob>(BenefitVersionSwitchJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), BenefitVersionSwitchJob.Cron);
        return endpoints;
    }
}
