using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Workflows;

namespace MerchantConsole.Domain.Plans;

public enum ActivationRunKind
{
    /// <summary>A Draft plan's first activation.</summary>
    Activate,
    /// <summary>A pending revision of an Active plan.</summary>
    ActivateRevision,
}

/// <summary>The steps of a plan activation, in the order they run (DESIGN §2).</summary>
public static class ActivationStepName
{
    /// <summary>The dry run. Its problems are not transient: the run is rolled back rather than the step failed.</summary>
    public const string Validate = nameof(Validate);
    /// <summary>Pins the card template version on the run (the step's output).</summary>
    public const string FreezeTemplateVersion = nameof(FreezeTemplateVersion);
    /// <summary><see cref="MembershipPlan.MarkProductsPending"/>.</summary>
    public const string ProductsPending = nameof(ProductsPending);
    /// <summary><see cref="MembershipPlan.MarkActive"/>, written together with the PlanActivated message.</summary>
    public const string PlanActive = nameof(PlanActive);
    /// <summary><see cref="MembershipPlan.MarkProductsActive"/>, on the PlanActivated message.</summary>
    public const string ProductsActive = nameof(ProductsActive);

    public static IReadOnlyList<string> All { get; } = [Validate, FreezeTemplateVersion, ProductsPending, PlanActive, ProductsActive];
}

/// <summary>
/// Plan activation as a workflow run (kind <see cref="Kind"/>, subject the plan). Suspend and retire need no run: they
/// change the plan and its products in one transaction.
/// </summary>
public static class PlanActivation
{
    public const string Kind = "PlanActivation";

    /// <summary>Once the plan is Active customers may join it, so a run past that step is finished forward, never rolled back.</summary>
    public static IReadOnlyList<WorkflowStepSpec> Steps { get; } =
        [.. ActivationStepName.All.Select(name => new WorkflowStepSpec(name, Irreversible: name == ActivationStepName.PlanActive))];

    /// <summary>Begins the plan's activation and records the run that drives it.</summary>
    public static WorkflowRun Start(MembershipPlan plan, string requestedBy, DateTimeOffset now)
    {
        var kind = plan.Status == PlanStatus.Draft ? ActivationRunKind.Activate : ActivationRunKind.ActivateRevision;
        var revision = kind == ActivationRunKind.Activate ? plan.Revision : plan.Revision + 1;
        if (string.IsNullOrWhiteSpace(requestedBy))
            throw new DomainException("Run.ActorRequired", "Record who is acting on the run.");
        plan.BeginActivation(now);
        return WorkflowRun.Start(Kind, plan.MerchantId, plan.Id, plan.Name, Steps, requestedBy, now, kind.ToString(), revision);
    }

    extension(WorkflowRun run)
    {
        public Guid PlanId => run.SubjectId;

        public ActivationRunKind ActivationKind => Enum.Parse<ActivationRunKind>(run.Variant ?? nameof(ActivationRunKind.Activate));

        /// <summary>The plan revision this run takes live.</summary>
        public int Revision => run.SubjectRevision ?? 0;

        /// <summary>The card template version this run pinned in its freeze step; cards issued under the revision use it.</summary>
        public Guid? TemplateVersionId =>
            run.Steps.SingleOrDefault(s => s.Name == ActivationStepName.FreezeTemplateVersion)?.Output is { } id ? Guid.Parse(id) : null;

        /// <summary>
        /// The effect of step "freeze the template version": records which version this run takes live. Recording the
        /// same version again changes nothing; another one is refused, because the plan cannot change while in flight.
        /// </summary>
        public void FreezeTemplateVersion(Guid versionId)
        {
            if (versionId == Guid.Empty)
                throw new DomainException("Run.TemplateVersionMissing", "Choose a card template version before activating.");
            if (run.TemplateVersionId is { } frozen)
            {
                if (frozen != versionId)
                    throw new DomainException("Run.TemplateVersionAlreadyFrozen", "This run already froze another card template version.");
                if (!run.IsFinished && run.Status != WorkflowRunStatus.Stuck)
                    return;
            }
            run.RecordOutput(ActivationStepName.FreezeTemplateVersion, versionId.ToString());
        }
    }
}
