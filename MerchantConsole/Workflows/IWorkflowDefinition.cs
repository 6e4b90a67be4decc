using MerchantConsole.Data;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Messaging;

namespace MerchantConsole.Workflows;

/// <summary>
/// One kind of workflow (ARCHITECTURE.md, "The workflow engine"): what its steps do, how they are undone and what the
/// support console shows. The engine, the step job, the sweeper and the support console look a run's definition up by
/// <see cref="WorkflowRun.Kind"/>; register one with <see cref="WorkflowsSetup.AddWorkflowDefinition{T}"/>.
/// </summary>
public interface IWorkflowDefinition
{
    /// <summary>The kind its runs carry, e.g. "PlanActivation".</summary>
    string Kind { get; }

    /// <summary>The steps in run order; a run copies them when it starts.</summary>
    IReadOnlyList<WorkflowStepSpec> Steps { get; }

    /// <summary>
    /// Steps completed by a message's handler rather than by the step job: the engine starts the attempt by writing
    /// the message (in the same save as the step before, or again when the attempt times out), and the handler calls
    /// <see cref="WorkflowEngine.CompleteMessageStepAsync"/>.
    /// </summary>
    IReadOnlyDictionary<string, WorkflowMessage> MessageSteps { get; }

    /// <summary>
    /// Does one attempt at <see cref="WorkflowStepContext.Step"/> in the run's merchant scope. Make the changes on
    /// <see cref="WorkflowStepContext.Db"/> and do not save: the engine saves them with the step's completion, checked
    /// against the run's concurrency stamp. Must be idempotent (a step may run again after its record was lost). Throw
    /// to fail the attempt (retried with backoff, Stuck after the last); return <see cref="WorkflowStepResult.RollBack"/>
    /// for a problem no retry can fix.
    /// </summary>
    Task<WorkflowStepResult> ExecuteAsync(WorkflowStepContext context, CancellationToken ct);

    /// <summary>Undoes the effects of the rolled-back steps (latest first) on <paramref name="db"/>; the caller saves. Idempotent.</summary>
    Task UndoAsync(MerchantDbContext db, WorkflowRun run, IReadOnlyList<WorkflowStep> undone, DateTimeOffset now, CancellationToken ct);

    /// <summary>Null when the records show <paramref name="step"/>'s effect; otherwise what is missing, so support cannot mark it repaired.</summary>
    Task<string?> MissingEffectAsync(MerchantDbContext db, WorkflowRun run, string step, CancellationToken ct);

    /// <summary>The records the run involves, as the support console's run page shows them.</summary>
    Task<WorkflowRecords> DescribeAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct);
}

/// <summary>One attempt at a step: the run (tracked by <see cref="Db"/>), the step's name and the attempt's time.</summary>
public sealed record WorkflowStepContext(MerchantDbContext Db, WorkflowRun Run, string Step, DateTimeOffset Now);

/// <summary>How an attempt ended when it did not throw.</summary>
public sealed record WorkflowStepResult
{
    public static WorkflowStepResult Done { get; } = new();

    /// <summary>Set when the step found a problem retrying cannot fix: the run is rolled back with this reason.</summary>
    public string? RollBackReason { get; private init; }

    public static WorkflowStepResult RollBack(string reason) => new() { RollBackReason = reason };
}

/// <summary>The message that completes a step; its correlation id is the run's id, so the engine finds it by a column.</summary>
public sealed class WorkflowMessage
{
    private readonly Func<MerchantDbContext, WorkflowRun, DateTimeOffset, CancellationToken, Task<OutboxMessage>> _create;

    private WorkflowMessage(string type, Func<MerchantDbContext, WorkflowRun, DateTimeOffset, CancellationToken, Task<OutboxMessage>> create)
    {
        Type = type;
        _create = create;
    }

    /// <summary>The outbox type name, as <see cref="OutboxMessage.Type"/> holds it.</summary>
    public string Type { get; }

    public static WorkflowMessage Of<T>(Func<WorkflowRun, T> message) where T : notnull =>
        new(OutboxMessage.MessageTypeName<T>(), (_, run, now, _) => Task.FromResult(OutboxMessage.For(run.MerchantId, message(run), now, run.Id)));

    /// <summary>
    /// A message whose payload is read from the records when it is sent (e.g. what a read model needs to know), on the
    /// run's context in the run's merchant scope, so a re-sent message carries the same facts.
    /// </summary>
    public static WorkflowMessage Of<T>(Func<MerchantDbContext, WorkflowRun, CancellationToken, Task<T>> message) where T : notnull =>
        new(OutboxMessage.MessageTypeName<T>(), async (db, run, now, ct) => OutboxMessage.For(run.MerchantId, await message(db, run, ct), now, run.Id));

    public Task<OutboxMessage> CreateAsync(MerchantDbContext db, WorkflowRun run, DateTimeOffset now, CancellationToken ct) => _create(db, run, now, ct);
}

/// <summary>
/// What the support console shows of a run's records: the subject's current name, the invariants that do not hold,
/// and a component of the workflow's own (<see cref="View"/>, given <see cref="Model"/> as its <c>Model</c> parameter).
/// </summary>
public sealed record WorkflowRecords(string SubjectName, IReadOnlyList<string> InvariantViolations, Type View, object Model);
