using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Workflows;

public enum SupportAction
{
    Retry,
    RollBack,
    MarkRepaired,
}

/// <summary>An audited support action on a run: who did what, when and why.</summary>
public sealed class WorkflowRunNote : IAggregatePart
{
    public const int MaxReasonLength = 500;
    public static readonly TextLimit ReasonLimit = new(MaxReasonLength, 2000);

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string By { get; private set; } = "";
    public SupportAction Action { get; private set; }
    public string? Step { get; private set; }
    public string? Reason { get; private set; }

    private WorkflowRunNote() { }

    internal WorkflowRunNote(DateTimeOffset at, string by, SupportAction action, string? step, string? reason)
    {
        Id = Guid.NewGuid();
        At = at;
        By = by;
        Action = action;
        Step = step;
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        ReasonLimit.Enforce(Reason, "SupportReason", "A reason");
    }
}
