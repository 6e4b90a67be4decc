using MerchantConsole.Domain.Workflows;
using MudBlazor;

namespace MerchantConsole.Workflows;

/// <summary>One colour per run and step status, the same on a subject's page and in the support console.</summary>
public static class RunColours
{
    public static Color Of(WorkflowRunStatus status) => status switch
    {
        WorkflowRunStatus.Succeeded => Color.Success,
        WorkflowRunStatus.Stuck => Color.Error,
        WorkflowRunStatus.RolledBack => Color.Warning,
        _ => Color.Info,
    };

    public static Color Of(WorkflowStepStatus status) => status switch
    {
        _ when status.IsDone() => Color.Success,
        WorkflowStepStatus.Failed => Color.Error,
        WorkflowStepStatus.Running => Color.Info,
        _ => Color.Default,
    };
}
