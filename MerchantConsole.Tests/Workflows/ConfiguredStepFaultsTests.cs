using MerchantConsole.Workflows;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Workflows;

public sealed class ConfiguredStepFaultsTests
{
    private sealed class Monitor(FaultInjectionOptions value) : IOptionsMonitor<FaultInjectionOptions>
    {
        public FaultInjectionOptions CurrentValue => value;
        public FaultInjectionOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<FaultInjectionOptions, string?> listener) => null;
    }

    private static ConfiguredStepFaults With(FaultRule rule) =>
        new(new Monitor(new FaultInjectionOptions { Rules = [rule] }), NullLogger<ConfiguredStepFaults>.Instance);

    [Fact]
    public void ARuleFiresOnlyForItsWorkflowKindStepAndSubjectAndOnlyItsTimes()
    {
        var faults = With(new FaultRule { Workflow = "PlanActivation", Step = "ProductsPending", Mode = FaultMode.Hang, Times = 1, SubjectNameContains = "[fault]" });
        var run = Guid.NewGuid();

        Assert.True(faults.Proceed(run, "BenefitActivation", "ProductsPending", "Plan [fault]"));
        Assert.True(faults.Proceed(run, "PlanActivation", "Validate", "Plan [fault]"));
        Assert.True(faults.Proceed(run, "PlanActivation", "ProductsPending", "Plain plan"));
        Assert.False(faults.Proceed(run, "PlanActivation", "ProductsPending", "Plan [FAULT]"));
        Assert.True(faults.Proceed(run, "PlanActivation", "ProductsPending", "Plan [fault]")); // its one time is spent
    }

    [Fact]
    public void TheOlderPlanNameContainsStillFiltersAndARuleWithoutAKindFitsEveryKind()
    {
        var faults = With(new FaultRule { Step = "Bind", Mode = FaultMode.Throw, Times = 2, PlanNameContains = "[fault]" });

        Assert.True(faults.Proceed(Guid.NewGuid(), "BenefitActivation", "Bind", "Free coffee"));
        Assert.Throws<InjectedFaultException>(() => faults.Proceed(Guid.NewGuid(), "BenefitActivation", "Bind", "Free coffee [fault]"));
        Assert.Throws<InjectedFaultException>(() => faults.Proceed(Guid.NewGuid(), "PlanActivation", "Bind", "Club [fault]"));
    }
}
