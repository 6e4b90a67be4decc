using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Features.Plans;

public sealed class DryRunFixesTests
{
    [Fact]
    public void APurchaseChannelWithoutProductLinksToTheProductsStepFocusedOnTheChannel()
    {
        var plan = new PlanBuilder().Build();
        var channel = plan.AddChannel(plan.Tier("Gold").Id, JoinChannelType.Purchase, null, null, null, PlanBuilder.Now);
        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()));

        Assert.Equal(PlanPart.Channels, problem.Target.Part);
        Assert.Equal(PlanWizardStep.Products, DryRunFixes.Step(problem));
        Assert.Equal($"/plans/{plan.Id}/edit?step=products&focus={channel.Id}", DryRunFixes.Url(plan.Id, problem));
    }

    [Theory]
    [InlineData(PlanPart.Basics, PlanWizardStep.Basics)]
    [InlineData(PlanPart.Tiers, PlanWizardStep.Tiers)]
    [InlineData(PlanPart.Channels, PlanWizardStep.Channels)]
    [InlineData(PlanPart.Products, PlanWizardStep.Products)]
    public void OtherProblemsAreFixedOnTheStepOfThePartTheyAreAbout(PlanPart part, PlanWizardStep step)
    {
        var codes = Enum.GetValues<DryRunCode>()
            .Where(c => c != DryRunCode.PurchaseChannelWithoutProduct && ActivationDryRun.About(c) == part).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Equal(step, DryRunFixes.Step(new DryRunProblem(code, new DryRunTarget(part, null), Refusal(code)))));
    }

    private static MerchantConsole.Domain.Common.Refusal Refusal(DryRunCode code) =>
        MerchantConsole.Domain.Common.Refusal.Of($"DryRun.{code}", "text");
}
