using System.Text.RegularExpressions;
using System.Xml.Linq;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Features.Hosted;

public sealed class HostedStringsTests
{
    private static readonly string Root = MerchantConsole.Tests.Localization.RefusalTextTests.Root;
    private static readonly string Folder = Path.Combine(Root, "MerchantConsole", "Features", "Hosted");

    [Fact]
    public void EveryHostedStringExistsInEnglishAndChinese()
    {
        var english = Keys("HostedStrings.resx");
        var chinese = Keys("HostedStrings.zh-CN.resx");

        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryKeyTheHostedPagesUseExists()
    {
        var used = Directory.EnumerateFiles(Folder, "*.razor").Concat(Directory.EnumerateFiles(Folder, "*.cs"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b(?:H\[|h\[|Text\(http, )""([A-Za-z.]+)""").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.True(used.Count > 50, $"Only {used.Count} keys found; the scan is broken.");
        Assert.Empty(used.Except(Keys("HostedStrings.resx")));
    }

    [Fact]
    public void EveryOrderStatusLedgerKindMembershipStatusDurationAndFreeChannelHasAWord()
    {
        var expected = Enum.GetNames<OrderStatus>().Select(n => $"Status.{n}")
            .Concat(Enum.GetNames<OrderLedgerKind>().Select(n => $"Ledger.{n}"))
            .Concat(Enum.GetNames<MembershipStatus>().Select(n => $"Membership.{n}"))
            .Concat(Enum.GetNames<DurationUnit>().SelectMany(n => new[] { $"Duration.{n}", $"Duration.{n}.One" }))
            .Concat(new[] { JoinChannelType.FreeSignup, JoinChannelType.InviteCode, JoinChannelType.StoreQr }.Select(t => $"Guide.Channel.{t}"))
            .Concat(new[] { "Waiting", "Issuing", "Done", "Closed" }.SelectMany(o => new[] { $"Result.Title.{o}", $"Result.Text.{o}" }))
            .ToList();

        Assert.Empty(expected.Except(Keys("HostedStrings.resx")));
    }

    private static HashSet<string> Keys(string file) =>
        [.. XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];
}
