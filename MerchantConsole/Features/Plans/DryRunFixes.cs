using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans;

/// <summary>Where the wizard sends the user to fix a dry-run problem: the step where the fix is made, not only the part it is about.</summary>
public static class DryRunFixes
{
    /// <summary>
    /// The step whose link a problem shows. A purchase channel that sells nothing is about the channel but fixed by
    /// adding its product, on the Products step (the channel's product card is focused).
    /// </summary>
    public static PlanWizardStep Step(DryRunProblem problem) => problem.Code switch
    {
        DryRunCode.PurchaseChannelWithoutProduct => PlanWizardStep.Products,
        _ => problem.Target.Part switch
        {
            PlanPart.Basics => PlanWizardStep.Basics,
            PlanPart.Tiers => PlanWizardStep.Tiers,
            PlanPart.Channels => PlanWizardStep.Channels,
            PlanPart.Products => PlanWizardStep.Products,
            var part => throw new ArgumentOutOfRangeException(nameof(problem), part, "Every plan part has a wizard step."),
        },
    };

    /// <summary>The wizard at that step, focused on the problem's entity when it has one.</summary>
    public static string Url(Guid planId, DryRunProblem problem) =>
        PlansSetup.EditUrl(planId, Step(problem), problem.Target.EntityId);
}
