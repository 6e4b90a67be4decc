using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Text;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Plans.Activation;

public sealed class StepFaultsRegistrationTests
{
    private static ServiceDescriptor StepFaultsRegisteredFor(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddWorkflows(configuration);
        return Assert.Single(services, d => d.ServiceType == typeof(IStepFaults));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "FaultInjection": { "Rules": [] } }""")]
    public void WithoutConfiguredRulesStepsRunWithoutFaultInjection(string json)
    {
        var registered = StepFaultsRegisteredFor(json);

        Assert.Same(NoStepFaults.Instance, registered.ImplementationInstance);
    }

    [Fact]
    public void ConfiguredRulesRegisterTheFaultInjector()
    {
        var registered = StepFaultsRegisteredFor("""{ "FaultInjection": { "Rules": [ { "Step": "ProductsPending", "Mode": "Throw", "Times": 2 } ] } }""");

        Assert.Equal(typeof(ConfiguredStepFaults), registered.ImplementationType);
    }

    [Theory]
    [InlineData("Testing", 1, 20)]
    [InlineData("Testing", 2, 0)]   // the retry on the other node does not pause: attempts are counted on the run
    [InlineData("Production", 1, 0)] // honoured in the Testing environment only
    public void APauseRuleHoldsOnlyTheFirstAttemptsAndOnlyInTheTestingEnvironment(string environment, int attempt, int seconds)
    {
        var rule = new FaultRule { Workflow = "PlanActivation", Step = "ProductsPending", Mode = FaultMode.Pause, Times = 1, PauseFor = TimeSpan.FromSeconds(20) };
        var options = new OptionsMonitorOf(new FaultInjectionOptions { Rules = [rule] });
        var faults = new ConfiguredStepFaults(options, NullLogger<ConfiguredStepFaults>.Instance, new Environment(environment));

        var pause = faults.PauseBefore(Guid.NewGuid(), "PlanActivation", "ProductsPending", "Club", attempt);
        var proceeds = faults.Proceed(Guid.NewGuid(), "PlanActivation", "ProductsPending", "Club");

        Assert.Equal(TimeSpan.FromSeconds(seconds), pause);
        Assert.True(proceeds);
    }

    private sealed class OptionsMonitorOf(FaultInjectionOptions value) : IOptionsMonitor<FaultInjectionOptions>
    {
        public FaultInjectionOptions CurrentValue => value;
        public FaultInjectionOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<FaultInjectionOptions, string?> listener) => null;
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "MerchantConsole";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
