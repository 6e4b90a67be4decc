using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Workflows;

public static class WorkflowsSetup
{
    /// <summary>The engine, its step job and sweeper, fault injection and the registry of workflow kinds.</summary>
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.Section))
            .Validate(o => o.MaxAttempts >= 1 && o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay && o.StuckAfter > TimeSpan.Zero,
                "Workflows: MaxAttempts >= 1, 0 < RetryBaseDelay <= RetryMaxDelay, StuckAfter > 0.")
            .ValidateOnStart();
        services.AddStepFaults(configuration);

        services.TryAddSingleton<WorkflowDefinitions>();
        services.TryAddSingleton<WorkflowProgressNotifier>();
        services.TryAddSingleton<IWorkflowCheckpoints>(NoWorkflowCheckpoints.Instance);
        services.TryAddSingleton<WorkflowJobQueue>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddTransient<WorkflowStepJob>();
        services.TryAddTransient<WorkflowSweeper>();
        return services;
    }

    /// <summary>Adds a workflow kind: the engine, the sweeper and the support console find it by its <see cref="IWorkflowDefinition.Kind"/>.</summary>
    public static IServiceCollection AddWorkflowDefinition<TDefinition>(this IServiceCollection services)
        where TDefinition : class, IWorkflowDefinition
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowDefinition, TDefinition>());
        return services;
    }

    /// <summary>Fault injection exists only where rules are configured (tests); everywhere else steps run as written.</summary>
    private static void AddStepFaults(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(FaultInjectionOptions.Section);
        if (!section.GetSection(nameof(FaultInjectionOptions.Rules)).GetChildren().Any())
        {
            services.TryAddSingleton<IStepFaults>(NoStepFaults.Instance);
            return;
        }
        services.AddOptions<FaultInjectionOptions>().Bind(section);
        services.TryAddSingleton<IStepFaults, ConfiguredStepFaults>();
    }

    /// <summary>Registers the recurring sweeper, the backstop that finishes every run even if queued jobs were lost.</summary>
    public static WebApplication MapWorkflows(this WebApplication app)
    {
        var cron = app.Services.GetRequiredService<IOptions<WorkflowOptions>>().Value.SweepCron;
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        // Before runs had kinds the sweeper was registered under this id, for a type that no longer exists.
        recurring.RemoveIfExists("activation-sweeper");
        recurring.AddOrUpdate<WorkflowSweeper>(WorkflowSweeper.RecurringJobId, s => s.SweepAsync(CancellationToken.None), cron);
        return app;
    }
}
