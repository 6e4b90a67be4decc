using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Xml.Linq;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;

namespace MerchantConsole.Tests.Features.Plans;

public sealed class PlanStringsTests
{
    private static readonly string Folder = Path.Combine(FindRepositoryRoot(), "MerchantConsole", "Features", "Plans");

    [Fact]
    public void EveryPlanStringExistsInEnglishAndChinese()
    {
        var english = Keys("PlanStrings.resx");
        var chinese = Keys("PlanStrings.zh-CN.resx");

        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryStatusTypeAndRuleTheUiShowsHasAString()
    {
        var keys = Keys("PlanStrings.resx");
        string[] expected =
        [
            .. Enum.GetNames<ValidityPolicy>().Select(n => $"ValidityPolicy.{n}"),
            .. Enum.GetNames<UpgradeRule>().Select(n => $"UpgradeRule.{n}"),
            .. Enum.GetNames<TierValidity>().Select(n => $"TierValidity.{n}"),
            .. Enum.GetNames<JoinChannelType>().Select(n => $"ChannelType.{n}"),
            .. Enum.GetNames<DurationUnit>().Select(n => $"DurationUnit.{n}"),
            .. Enum.GetNames<RenewalRule>().Select(n => $"RenewalRule.{n}"),
            .. Enum.GetNames<DryRunCode>().Select(n => $"DryRun.{n}"),
            .. Enum.GetNames<PlanWizardStep>().Select(n => $"Step.{n}"),
            .. Enum.GetNames<ActivationRunKind>().Select(n => $"RunKind.{n}"),
            .. Enum.GetNames<SupportAction>().Select(n => $"SupportAction.{n}"),
            .. new[] { JoinChannelType.FreeSignup, JoinChannelType.Manual }.Select(t => $"Channels.{t}Hint"),
        ];

        Assert.Empty(expected.Except(keys));
    }

    private static HashSet<string> Keys(string file) =>
        [.. XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MerchantConsole.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("MerchantConsole.sln not found above the test output.");
    }
}
