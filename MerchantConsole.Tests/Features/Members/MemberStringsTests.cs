using System.Xml.Linq;
using MerchantConsole.Domain.Members;

namespace MerchantConsole.Tests.Features.Members;

public sealed class MemberStringsTests
{
    private static readonly string Root = MerchantConsole.Tests.Localization.RefusalTextTests.Root;

    [Fact]
    public void EveryMemberStringExistsInEnglishAndChinese()
    {
        var english = Keys("Features/Members/MemberStrings.resx");
        var chinese = Keys("Features/Members/MemberStrings.zh-CN.resx");

        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryKeyTheMemberPagesUseExists()
    {
        var keys = Keys("Features/Members/MemberStrings.resx");
        var used = Directory.EnumerateFiles(Path.Combine(Root, "MerchantConsole", "Features", "Members"), "*.razor")
            .Append(Path.Combine(Root, "MerchantConsole", "Components", "Layout", "NavMenu.razor"))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"\b(?:T|MemberText)\[""([A-Za-z.]+)""")
                .Select(m => m.Groups[1].Value))
            .Where(k => k.Contains('.'))
            .Distinct()
            .ToList();

        Assert.True(used.Count > 30, $"Only {used.Count} keys found; the scan is broken.");
        Assert.Empty(used.Except(keys));
    }

    [Fact]
    public void EveryMembershipStatusAndWayOfJoiningHasANameInBothLanguages()
    {
        var expected = Enum.GetNames<MembershipStatus>().Select(n => $"MembershipStatus.{n}")
            .Concat(Enum.GetNames<EnrolmentSource>().Select(n => $"EnrolmentSource.{n}")).ToList();

        Assert.Empty(expected.Except(Keys("Localization/Terms.resx")));
        Assert.Empty(expected.Except(Keys("Localization/Terms.zh-CN.resx")));
    }

    private static HashSet<string> Keys(string file) =>
        [.. XDocument.Load(Path.Combine(Root, "MerchantConsole", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];
}
