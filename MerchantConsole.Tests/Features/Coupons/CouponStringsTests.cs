using System.Xml.Linq;

namespace MerchantConsole.Tests.Features.Coupons;

public sealed class CouponStringsTests
{
    private static readonly string Root = MerchantConsole.Tests.Localization.RefusalTextTests.Root;

    [Fact]
    public void EveryCouponStringExistsInEnglishAndChinese()
    {
        var english = Keys("Features/Coupons/CouponStrings.resx");
        var chinese = Keys("Features/Coupons/CouponStrings.zh-CN.resx");

        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryKeyTheCouponPagesUseExists()
    {
        var keys = Keys("Features/Coupons/CouponStrings.resx");
        var folder = Path.Combine(Root, "MerchantConsole", "Features", "Coupons");
        var used = Directory.EnumerateFiles(folder, "*.razor").Concat(Directory.EnumerateFiles(folder, "*.cs"))
            .Append(Path.Combine(Root, "MerchantConsole", "Components", "Layout", "NavMenu.razor"))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"\b(?:T|CouponText|text)\[""([A-Za-z.]+)""")
                .Select(m => m.Groups[1].Value))
            .Where(k => k.Contains('.'))
            .Distinct()
            .ToList();

        Assert.True(used.Count > 100, $"Only {used.Count} keys found; the scan is broken.");
        Assert.Empty(used.Except(keys));
    }

    private static HashSet<string> Keys(string relative) =>
        [.. XDocument.Load(Path.Combine(Root, "MerchantConsole", relative)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];
}
