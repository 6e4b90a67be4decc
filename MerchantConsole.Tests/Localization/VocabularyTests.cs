using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Globalization;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Support;
using MerchantConsole.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Localization;

public sealed class VocabularyTests
{
    private static readonly IStringLocalizer<SupportStrings> Support =
        new StringLocalizer<SupportStrings>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void TheSupportConsoleNamesEveryStepAndStatusAsThePlanPageDoes(string culture)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            // Both pages name a step through Vocabulary.Step; every step of every kind has a name of its own in Chinese.
            foreach (var step in ActivationStepName.All)
            {
                if (CultureInfo.CurrentUICulture.Name == "zh-CN")
                    Assert.NotEqual(step, Vocabulary.Step(PlanActivation.Kind, step));
            }
            SameEverywhere<WorkflowRunStatus>();
            SameEverywhere<WorkflowStepStatus>();
            SameEverywhere<PlanStatus>();
            SameEverywhere<ProductStatus>();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }

    [Fact]
    public void NoFeatureKeepsItsOwnNamesForStepsAndStatuses()
    {
        string[] shared = ["StepName.", "StepStatus.", "PlanStatus.", "ProductStatus.", "RunStatus.Running", "RunStatus.Stuck", "RunStatus.Succeeded", "RunStatus.RolledBack",
            .. ActivationStepName.All.Select(n => $"Step.{n}"), "Workflow.", "WorkflowStep.", "WorkflowVariant."];
        foreach (var file in new[] { "Plans/PlanStrings", "Support/SupportStrings" })
        foreach (var suffix in new[] { ".resx", ".zh-CN.resx" })
        {
            var keys = System.Xml.Linq.XDocument.Load(Path.Combine(RefusalTextTests.Root, "MerchantConsole", "Features", file + suffix))
                .Root!.Elements("data").Select(d => (string)d.Attribute("name")!);
            Assert.DoesNotContain(keys, k => shared.Any(k.StartsWith));
        }
    }

    [Fact]
    public void EveryStepStatusAndRuleHasOneNameInEnglishAndChinese()
    {
        var english = RefusalTextTests.Keys("Terms.resx");
        var chinese = RefusalTextTests.Keys("Terms.zh-CN.resx");
        string[] expected =
        [
            .. ActivationStepName.All.Select(n => $"WorkflowStep.{PlanActivation.Kind}.{n}"), $"Workflow.{PlanActivation.Kind}",
            .. Enum.GetNames<ActivationRunKind>().Select(n => $"WorkflowVariant.{PlanActivation.Kind}.{n}"), .. Names<WorkflowRunStatus>(), .. Names<WorkflowStepStatus>(), .. Names<PlanStatus>(),
            .. Names<ProductStatus>(), .. Names<JoinChannelType>(), .. Names<UpgradeRule>(), .. Names<RenewalRule>(), .. Names<TierValidity>(),
            .. Names<ValidityPolicy>(), .. Names<DurationUnit>(), .. Names<PlanPart>(),
        ];

        Assert.Empty(expected.Except(english));
        Assert.Equal(english, chinese);
    }

    private static void SameEverywhere<TEnum>() where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var name = Vocabulary.Of(value);
            Assert.Equal(name, Support.Of(value));
            if (CultureInfo.CurrentUICulture.Name == "zh-CN")
                Assert.NotEqual(value.ToString(), name);
        }
    }

    private static IEnumerable<string> Names<TEnum>() where TEnum : struct, Enum =>
        Enum.GetNames<TEnum>().Select(n => $"{typeof(TEnum).Name}.{n}");
}
