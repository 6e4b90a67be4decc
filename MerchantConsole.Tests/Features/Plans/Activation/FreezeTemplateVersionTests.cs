using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Features.Plans.Activation;

/// <summary>The freeze step's record on the run (WorkflowRun.FreezeTemplateVersion).</summary>
public sealed class FreezeTemplateVersionTests
{
    [Fact]
    public void FreezingTheSameVersionTwiceKeepsItAndAnotherVersionIsRefused()
    {
        var plan = new PlanBuilder().Build();
        var run = PlanActivation.Start(plan, "alice", PlanBuilder.Now);
        var version = plan.CardTemplateVersionToActivate!.Value;

        run.FreezeTemplateVersion(version);
        run.FreezeTemplateVersion(version);
        var refusal = Assert.Throws<DomainException>(() => run.FreezeTemplateVersion(Guid.NewGuid()));

        Assert.Equal(version, run.TemplateVersionId);
        Assert.Contains("another card template version", refusal.Message);
    }

    [Fact]
    public void AFinishedRunFreezesNothing()
    {
        var plan = new PlanBuilder().Build();
        var run = PlanActivation.Start(plan, "alice", PlanBuilder.Now);
        run.RollBack("alice", null, PlanBuilder.Now);

        Assert.Throws<DomainException>(() => run.FreezeTemplateVersion(Guid.NewGuid()));
        Assert.Null(run.TemplateVersionId);
    }
}
