using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>
/// Plan activation on the workflow engine: Validate → FreezeTemplateVersion → ProductsPending → PlanActive (+ the
/// PlanActivated message) → ProductsActive (on that message). The plan's own rules stay in the domain
/// (<see cref="MembershipPlan"/>, <see cref="ActivationDryRun"/>, <see cref="PlanInvariants"/>); this class only says
/// which of them each step calls.
/// </summary>
public sealed class PlanActivationWorkflow : IWorkflowDefinition
{
    public string Kind => PlanActivation.Kind;

    public IReadOnlyList<WorkflowStepSpec> Steps => PlanActivation.Steps;

    public IReadOnlyDictionary<string, WorkflowMessage> MessageSteps { get; } = new Dictionary<string, WorkflowMessage>
    {
        [ActivationStepName.ProductsActive] = WorkflowMessage.Of(run => new PlanActivated(run.SubjectId, run.Id)),
    };

    public async Task<WorkflowStepResult> ExecuteAsync(WorkflowStepContext context, CancellationToken ct)
    {
        var (db, run, step, now) = context;
        var plan = await LoadPlanAsync(db, run, ct);
        switch (step)
        {
            case ActivationStepName.Validate:
                var problems = ActivationDryRun.Check(plan, await ActivationDryRunContext.ForAsync(db, plan, ct));
                if (problems.Count > 0)
                    return WorkflowStepResult.RollBack("The dry run found problems: " + string.Join(" ", problems.Select(p => p.Message)));
                break;
            case ActivationStepName.FreezeTemplateVersion:
                var versionId = plan.CardTemplateVersionToActivate
                                ?? throw new DomainException("Run.NoTemplateVersion", "The plan has no card template version to freeze.");
                if (!await ActivationDryRunContext.IsPublishedAsync(db, plan.MerchantId, versionId, ct))
                    throw new DomainException("Run.TemplateVersionNotPublished", "The plan's card template version is not published.");
                run.FreezeTemplateVersion(versionId);
                break;
            case ActivationStepName.ProductsPending:
                plan.MarkProductsPending(now);
                break;
            case ActivationStepName.PlanActive:
                plan.MarkActive(now);
                break;
            case ActivationStepName.ProductsActive:
                plan.MarkProductsActive(now);
                break;
            default:
                throw new InvalidOperationException($"Plan activation has no step {step}.");
        }
        return WorkflowStepResult.Done;
    }

    /// <summary>Validate and the freeze change no plan record; everything else is undone by taking the plan back to Draft (or its revision back to pending).</summary>
    public async Task UndoAsync(MerchantDbContext db, WorkflowRun run, IReadOnlyList<WorkflowStep> undone, DateTimeOffset now, CancellationToken ct)
    {
        var plan = await LoadPlanAsync(db, run, ct);
        if (plan.Status == PlanStatus.Activating || plan.RevisionActivating)
            plan.RollBackToDraft(now);
    }

    public async Task<string?> MissingEffectAsync(MerchantDbContext db, WorkflowRun run, string step, CancellationToken ct)
    {
        var plan = await LoadPlanAsync(db, run, ct);
        return step switch
        {
            ActivationStepName.ProductsPending when plan.Products.Any(p => p.Status == ProductStatus.Draft && (!plan.HasGoneLive || plan.IsPendingRevision(p)))
                => "some products are still Draft.",
            ActivationStepName.PlanActive when plan.Status != PlanStatus.Active => $"the plan is {plan.Status}, not Active.",
            ActivationStepName.ProductsActive when plan.RevisionActivating || plan.Products.Any(p => p.Status == ProductStatus.Pending)
                => "products are still waiting to go on sale.",
            _ => null,
        };
    }

    public async Task<WorkflowRecords> DescribeAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct)
    {
        var plan = await db.MembershipPlans.AsNoTracking().WithParts()
            .SingleOrDefaultAsync(p => p.Id == run.SubjectId && p.MerchantId == run.MerchantId, ct);
        if (plan is null)
            return new WorkflowRecords(run.SubjectName, ["The plan of this run no longer exists."], typeof(PlanActivationRecords),
                new PlanRecordsView(null, 0, false, run.TemplateVersionId, []));
        var products = plan.Tiers.SelectMany(t => t.JoinChannels.Where(c => c.Product is not null)
                .Select(c => new PlanProductView(c.Product!.Id, c.Product.Name, t.Name, c.Product.Status, c.Product.Price,
                    c.Product.PendingPrice, plan.IsPendingRevision(c.Product))))
            .ToList();
        return new WorkflowRecords(plan.Name, PlanInvariants.Violations(plan), typeof(PlanActivationRecords),
            new PlanRecordsView(plan.Status, plan.Revision, plan.RevisionActivating, run.TemplateVersionId, products));
    }

    // Every lookup names the run's merchant, so it stays right in the support console's across-merchant scope.
    private static async Task<MembershipPlan> LoadPlanAsync(MerchantDbContext db, WorkflowRun run, CancellationToken ct) =>
        await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == run.SubjectId && p.MerchantId == run.MerchantId, ct)
        ?? throw new DomainException("Run.PlanGone", "The plan of this run no longer exists.");
}

public sealed record PlanProductView(Guid Id, string Name, string TierName, ProductStatus Status, Money Price, Money? PendingPrice, bool InPendingRevision);

/// <summary>The plan and its products as the support console shows them beside a plan activation run.</summary>
public sealed record PlanRecordsView(PlanStatus? PlanStatus, int PlanRevision, bool RevisionActivating, Guid? TemplateVersionId,
    IReadOnlyList<PlanProductView> Products);
