using Hangfire;
using MerchantConsole.Features.Support;
using MerchantConsole.Messaging;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Plans.Activation;

public static class PlanActivationSetup
{
    /// <summary>Activation runs, their jobs, the PlanActivated handler, fault injection and the support console.</summary>
    public static IServiceCollection AddPlanActivation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ActivationOptions>().Bind(configuration.GetSection(ActivationOptions.Section))
            .Validate(o => o.MaxAttempts >= 1 && o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay && o.StuckAfter > TimeSpan.Zero,
                "Activation: MaxAttempts >= 1, 0 < RetryBaseDelay <= RetryMaxDelay, StuckAfter > 0.")
            .ValidateOnStart();
        services.AddStepFaults(configuration);

        services.AddSingleton<ActivationProgressNotifier>();
        services.AddSingleton<IActivationCheckpoints>(NoActivationCheckpoints.Instance);
        services.AddSingleton<ActivationJobQueue>();
        services.AddSingleton<ActivationEngine>();
        services.AddTransient<ActivationStepJob>();
        services.AddTransient<ActivationSweeper>();
        services.AddSingleton<IMessageHandler, PlanActivatedHandler>();
        services.AddScoped<PlanActivationService>();
        services.AddScoped<SupportConsoleService>();
        return services;
    }

    /// <summary>Fault injection exists only where rules are configured (tests); everywhere else steps run as written.</summary>
    private static void AddStepFaults(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(FaultInjectionOptions.Section);
        if (!section.GetSection(nameof(FaultInjectionOptions.Rules)).GetChildren().Any())
        {
            services.AddSingleton<IStepFaults>(NoStepFaults.Instance);
            return;
        }
        services.AddOptions<FaultInjectionOptions>().Bind(section);
        services.AddSingleton<IStepFaults, ConfiguredStepFaults>();
    }

    /// <summary>Registers the recurring sweeper, the backstop that finishes every run even if queued jobs were lost.</summary>
    public static WebApplication MapPlanActivation(this WebApplication app)
    {
        var cron = app.Services.GetRequiredService<IOptions<ActivationOptions>>().Value.SweepCron;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ActivationSweeper>(ActivationSweeper.RecurringJobId, s => s.SweepAsync(CancellationToken.None), cron);
        return app;
    }
}
