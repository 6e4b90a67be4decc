using System.Text.RegularExpressions;
using System.Xml.Linq;
using MerchantConsole.Domain.Benefits;

namespace MerchantConsole.Tests.Features.Benefits;

public sealed class BenefitStringsTests
{
    private static readonly string Root = MerchantConsole.Tests.Localization.RefusalTextTests.Root;

    [Fact]
    public void EveryBenefitStringExistsInEnglishAndChinese()
    {
        var english = Keys("Features/Benefits/BenefitStrings.resx");
        var chinese = Keys("Features/Benefits/BenefitStrings.zh-CN.resx");

        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryKeyTheBenefitAndFeedPagesUseExists()
    {
        var keys = Keys("Features/Benefits/BenefitStrings.resx");
        var used = new[] { "Benefits", "Benefits/Activation", "Feed" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, "MerchantConsole", "Features", d), "*.razor"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bB\[""([A-Za-z.]+)""").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.True(used.Count > 40, $"Only {used.Count} keys found; the scan is broken.");
        Assert.Empty(used.Except(keys));
    }

    [Fact]
    public void EveryBenefitKindStatusAndActivationStepHasANameInBothLanguages()
    {
        var expected = Enum.GetNames<BenefitKind>().Select(n => $"BenefitKind.{n}")
            .Concat(Enum.GetNames<BenefitVersionStatus>().Select(n => $"BenefitVersionStatus.{n}"))
            .Concat(Enum.GetNames<CouponValueBasis>().Select(n => $"CouponValueBasis.{n}"))
            .Concat(BenefitStepName.All.Select(s => $"WorkflowStep.{BenefitActivation.Kind}.{s}"))
            .Append($"Workflow.{BenefitActivation.Kind}")
            .ToList();

        Assert.Empty(expected.Except(Keys("Localization/Terms.resx")));
        Assert.Empty(expected.Except(Keys("Localization/Terms.zh-CN.resx")));
    }

    private static HashSet<string> Keys(string file) =>
        [.. XDocument.Load(Path.Combine(Root, "MerchantConsole", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];
}
