using MerchantConsole.Domain.Workflows;

namespace MerchantConsole.Workflows;

public sealed record WorkflowStepView(
    string Name,
    WorkflowStepStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? NextAttemptAt,
    bool Irreversible = false,
    string? Output = null)
{
    public bool IsDone => Status.IsDone();
}

public sealed record WorkflowNoteView(DateTimeOffset At, string By, SupportAction Action, string? Step, string? Reason);

/// <summary>One run as a subject's page and the support console show it.</summary>
public sealed record WorkflowRunView(
    Guid RunId,
    string Kind,
    Guid SubjectId,
    string SubjectName,
    Guid MerchantId,
    string? Variant,
    int? SubjectRevision,
    WorkflowRunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string RequestedBy,
    IReadOnlyList<WorkflowStepView> Steps,
    IReadOnlyList<WorkflowNoteView> Notes)
{
    public WorkflowStepView? CurrentStep => Steps.FirstOrDefault(s => !s.IsDone);

    public bool IsFinished => Status is WorkflowRunStatus.Succeeded or WorkflowRunStatus.RolledBack;

    /// <summary><see cref="WorkflowRun.CanRollBack"/> when the view was made.</summary>
    public bool CanRollBack { get; init; }

    public static WorkflowRunView From(WorkflowRun run) => new(
        run.Id, run.Kind, run.SubjectId, run.SubjectName, run.MerchantId, run.Variant, run.SubjectRevision, run.Status, run.StartedAt,
        run.FinishedAt, run.RequestedBy,
        [.. run.Steps.OrderBy(s => s.Order).Select(s => new WorkflowStepView(s.Name, s.Status, s.Attempts, s.LastError, s.StartedAt, s.FinishedAt,
            s.NextAttemptAt, s.Irreversible, s.Output))],
        [.. run.Notes.OrderBy(n => n.At).Select(n => new WorkflowNoteView(n.At, n.By, n.Action, n.Step, n.Reason))])
    {
        CanRollBack = run.CanRollBack,
    };
}
