using MerchantConsole.Domain.Plans;
using MudBlazor;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>One colour per run and step status, the same on the plan page and in the support console.</summary>
public static class RunColours
{
    public static Color Of(ActivationRunStatus status) => status switch
    {
        ActivationRunStatus.Succeeded => Color.Success,
        ActivationRunStatus.Stuck => Color.Error,
        ActivationRunStatus.RolledBack => Color.Warning,
        _ => Color.Info,
    };

    public static Color Of(ActivationStepStatus status) => status switch
    {
        _ when status.IsDone() => Color.Success,
        ActivationStepStatus.Failed => Color.Error,
        ActivationStepStatus.Running => Color.Info,
        _ => Color.Default,
    };
}
