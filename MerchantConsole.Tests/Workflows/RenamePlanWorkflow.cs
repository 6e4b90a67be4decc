using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Support;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Workflows;

/// <summary>
/// A second workflow kind that exists only in tests, to prove the engine knows no plan activation: it renames a Draft
/// plan in three steps. Remember (keeps the old name as the step's output) → Rename (the effect) → Announce (a message
/// step: the PlanRenamed message's handler completes it). Rolling back restores the old name.
/// </summary>
internal sealed class RenamePlanWorkflow : IWorkflowDefinition
{
    public const string KindName = "TestPlanRename";
    public const string Remember = nameof(Remember);
    public const string Rename = nameof(Rename);
    public const string Announce = nameof(Announce);
    public const string Suffix = " (renamed)";

    public string Kind => KindName;

    public IReadOnlyList<WorkflowStepSpec> Steps { get; } = [new(Remember), new(Rename), new(Announce)];

    public IReadOnlyDictionary<string, WorkflowMessage> MessageSteps { get; } = new Dictionary<string, WorkflowMessage>
    {
        [Announce] = WorkflowMessage.Of(run => new PlanRenamed(run.SubjectId, run.Id)),
    };

    public static WorkflowRun Start(MembershipPlan plan, DateTimeOffset now) =>
        WorkflowRun.Start(KindName, plan.MerchantId, plan.Id, plan.Name, new RenamePlanWorkflow().Steps, "tester", now);

    public async Task<WorkflowStepResult> ExecuteAsync(WorkflowStepContext context, CancellationToken ct)
    {
        var (db, run, step, now) = context;
        var plan = await PlanAsync(db, run, ct);
        var original = run.Step(Remember).Output;
        switch (step)
        {
            case Remember when original is null:
                if (plan.Status != PlanStatus.Draft)
                    return WorkflowStepResult.RollBack($"Only a Draft plan is renamed here; this one is {plan.Status}.");
                run.RecordOutput(Remember, plan.Name);
                break;
            case Remember:
                break; // a repeated attempt: the name it remembered stands
            case Rename when plan.Name != original + Suffix:
                plan.UpdateBasics(original + Suffix, plan.Description, now);
                break;
            case Rename:
            case Announce:
                break;
            default:
                throw new InvalidOperationException($"{KindName} has no step {step}.");
        }
        return WorkflowStepResult.Done;
    }

    public async Task UndoAsync(MerchantDbContext db, WorkflowRun run, IReadOnlyList<WorkflowStep> undone, DateTimeOffset now, CancellationToken ct)
    {
        var plan = await PlanAsync(db, run, ct);
        if (run.Step(Remember).Output is { } original && plan.Name != original)
            plan.UpdateBasics(original, plan.Description, now);
    }

    public async Task<string?> MissingEffectAsync(MerchantDbContext db, WorkflowRun run, string step, CancellationToken ct)
    {
        var plan = await PlanAsync(db, run, ct);
        return step == Rename && !plan.Name.EndsWith(Suffix, StringComparison.Ordinal) ? $"the plan is still called {plan.Name}." : null;
    }

    public async Task<WorkflowRecords> DescribeAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct)
    {
        var plan = await PlanAsync(db, run, ct);
        var original = run.Step(Remember).Output ?? run.SubjectName;
        // The rule of this workflow: the plan carries its old name or the new one, never a third.
        string[] violations = plan.Name == original || plan.Name == original + Suffix ? [] : [$"The plan is called {plan.Name}."];
        return new WorkflowRecords(plan.Name, violations, typeof(UnknownWorkflowRecords), plan.Name);
    }

    private static async Task<MembershipPlan> PlanAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct) =>
        await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == run.SubjectId && p.MerchantId == run.MerchantId, ct)
        ?? throw new DomainException("Run.PlanGone", "The plan of this run no longer exists.");
}

internal sealed record PlanRenamed(Guid PlanId, Guid RunId);

/// <summary>Completes the Announce step of <see cref="RenamePlanWorkflow"/> on its message.</summary>
internal sealed class PlanRenamedHandler(WorkflowEngine engine) : MessageHandler<PlanRenamed>
{
    protected override Task HandleAsync(PlanRenamed message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken) =>
        engine.CompleteMessageStepAsync(db, message.RunId, RenamePlanWorkflow.Announce, cancellationToken);
}
