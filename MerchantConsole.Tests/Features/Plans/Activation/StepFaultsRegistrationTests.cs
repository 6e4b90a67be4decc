using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Text;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
}
