using MerchantConsole.Messaging;
using MerchantConsole.Workflows;

namespace MerchantConsole.Features.Plans.Activation;

public static class PlanActivationSetup
{
    /// <summary>Plan activation as a workflow kind (the engine itself comes from <see cref="WorkflowsSetup.AddWorkflows"/>), its PlanActivated handler and the plan page's activation service.</summary>
    public static IServiceCollection AddPlanActivation(this IServiceCollection services)
    {
        services.AddWorkflowDefinition<PlanActivationWorkflow>();
        services.AddSingleton<IMessageHandler, PlanActivatedHandler>();
        services.AddScoped<PlanActivationService>();
        return services;
    }
}
