using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans.Activation;

public sealed record ActivationStepView(
    ActivationStepName Name,
    ActivationStepStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? NextAttemptAt)
{
    public bool IsDone => Status.IsDone();
}

public sealed record ActivationNoteView(DateTimeOffset At, string By, SupportAction Action, ActivationStepName? Step, string? Reason);

/// <summary>One activation run as the plan page and the support console show it.</summary>
public sealed record ActivationRunView(
    Guid RunId,
    Guid PlanId,
    Guid MerchantId,
    ActivationRunKind Kind,
    int Revision,
    ActivationRunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string RequestedBy,
    Guid? TemplateVersionId,
    IReadOnlyList<ActivationStepView> Steps,
    IReadOnlyList<ActivationNoteView> Notes)
{
    public ActivationStepView? CurrentStep => Steps.FirstOrDefault(s => !s.IsDone);

    public bool IsFinished => Status is ActivationRunStatus.Succeeded or ActivationRunStatus.RolledBack;

    public static ActivationRunView From(ActivationRun run) => new(
        run.Id, run.PlanId, run.MerchantId, run.Kind, run.Revision, run.Status, run.StartedAt, run.FinishedAt, run.RequestedBy,
        run.TemplateVersionId,
        [.. run.Steps.OrderBy(s => s.Order).Select(s => new ActivationStepView(s.Name, s.Status, s.Attempts, s.LastError, s.StartedAt, s.FinishedAt, s.NextAttemptAt))],
        [.. run.Notes.OrderBy(n => n.At).Select(n => new ActivationNoteView(n.At, n.By, n.Action, n.Step, n.Reason))]);
}
