using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Localization;
using MerchantConsole.Tests.Domain.Plans;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Localization;

public sealed partial class RefusalTextTests
{
    internal static readonly string Root = FindRepositoryRoot();

    [Fact]
    public void EveryRefusalCodeThrownAnywhereHasEnglishAndChineseText()
    {
        var english = Keys("RefusalStrings.resx");
        var chinese = Keys("RefusalStrings.zh-CN.resx");
        var thrown = CodesInSource();

        Assert.True(thrown.Count > 100, $"Only {thrown.Count} refusal codes found in the source; the scan is broken.");
        Assert.Empty(thrown.Except(english));
        Assert.Empty(thrown.Except(chinese));
        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryDryRunProblemHasEnglishAndChineseText()
    {
        var codes = Enum.GetNames<DryRunCode>().Select(c => $"DryRun.{c}").ToList();

        Assert.Empty(codes.Except(Keys("RefusalStrings.resx")));
        Assert.Empty(codes.Except(Keys("RefusalStrings.zh-CN.resx")));
    }

    [Fact]
    public void NoRefusalIsWithoutACode()
    {
        var messageOnly = SourceFiles()
            .SelectMany(f => MessageOnlyThrow().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();

        Assert.Empty(messageOnly);
        Assert.DoesNotContain(typeof(DomainException).GetConstructors(),
            c => c.GetParameters() is [{ ParameterType: var only }] && only == typeof(string));
    }

    [Fact]
    public void ARefusalRendersInChineseWithMoneyInThePlansCurrency()
    {
        var plan = MembershipPlan.Create(PlanBuilder.MerchantId, "Gold club", null, "USD", PlanBuilder.Now);
        var tier = plan.AddTier("Gold", "#FFD700", UpgradeRule.None, null, TierValidity.Permanent, null, PlanBuilder.Now);
        var channel = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, PlanBuilder.Now);
        var product = plan.AddProduct(channel.Id, "Annual", new Money(1250, "USD"), 1, DurationUnit.Years, null, null, RenewalRule.None, PlanBuilder.Now);

        var refusal = Assert.Throws<DomainException>(() => plan.ChangeProductPrice(product.Id, new Money(-1250, "USD"), PlanBuilder.Now));

        var text = InCulture("zh-CN", () => Renderer().Render(refusal));
        Assert.Equal("Product.PriceNegative", refusal.Refusal.Code);
        Assert.Contains("价格不能为负数", text);
        Assert.Contains("US$12.50", text);
        Assert.DoesNotContain("1250", text);
        Assert.Equal("A price cannot be negative (USD -12.50).", refusal.Message);
    }

    [Fact]
    public void ADryRunProblemRendersInChineseWithASpendThresholdAsMoneyAndTheRuleByItsName()
    {
        var plan = MembershipPlan.Create(PlanBuilder.MerchantId, "Coffee club", null, "CNY", PlanBuilder.Now);
        plan.AddTier("Silver", "#C0C0C0", UpgradeRule.CumulativeSpend, 50000, TierValidity.Permanent, null, PlanBuilder.Now);
        plan.AddTier("Gold", "#FFD700", UpgradeRule.CumulativeSpend, 20000, TierValidity.Permanent, null, PlanBuilder.Now);

        var problem = Assert.Single(ActivationDryRun.Check(plan, PlanBuilder.CleanContext()), p => p.Code == DryRunCode.TierThresholdNotIncreasing);

        var chinese = InCulture("zh-CN", () => Renderer().Render(problem));
        var english = InCulture("en", () => Renderer().Render(problem));
        Assert.Equal("等级“Gold”的“累计消费”门槛须高于排在它之前的等级（¥500.00）。", chinese);
        Assert.Equal("Tier 'Gold' needs a higher Cumulative spend threshold than the tiers ranked below it (CN¥500.00).", english);
    }

    [Fact]
    public void ATextLimitRefusalNamesTheFieldByItsTranslatedLabel()
    {
        var refusal = Assert.Throws<DomainException>(() => MembershipPlan.Create(PlanBuilder.MerchantId, new string('x', 500), null, "CNY", PlanBuilder.Now));

        Assert.Equal("Text.TooLong", refusal.Refusal.Code);
        Assert.StartsWith("计划名称最多", InCulture("zh-CN", () => Renderer().Render(refusal)));
        Assert.StartsWith("The plan name is at most", InCulture("en", () => Renderer().Render(refusal)));
    }

    [Fact]
    public void AStaffRefusalRendersInChineseThroughTheSharedRefusalText()
    {
        var refusal = Refusal.Of("Staff.LastAdmin", "{Email} is the last active admin of this merchant.", ("Email", "ann@example.test"));

        Assert.Equal("ann@example.test 是本商户最后一位有效的管理员：请先让其他人成为管理员。", InCulture("zh-CN", () => Renderer().Render(refusal)));
    }

    [Fact]
    public void AnIdentityPasswordErrorRendersInChineseThroughTheSharedRefusalText()
    {
        var refusal = MerchantConsole.Account.IdentityRefusals.From(
            new Microsoft.AspNetCore.Identity.IdentityError { Code = "PasswordTooShort", Description = "Passwords must be at least 8 characters." });

        Assert.Equal("Identity.PasswordTooShort", refusal.Code);
        Assert.Equal("密码太短：至少 8 个字符。", InCulture("zh-CN", () => Renderer().Render(refusal)));
    }

    [Fact]
    public void ARefusalWhoseCodeHasNoTranslationFallsBackToItsEnglishTextWithArguments()
    {
        var refusal = Refusal.Of("Test.Unknown", "Nothing called {Name} here.", ("Name", "Gold"));

        Assert.Equal("Nothing called Gold here.", InCulture("zh-CN", () => Renderer().Render(refusal)));
    }

    internal static RefusalText Renderer() =>
        new ServiceCollection().AddLogging().AddConsoleLocalization().BuildServiceProvider().GetRequiredService<RefusalText>();

    internal static T InCulture<T>(string name, Func<T> action)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
        try
        {
            return action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    /// <summary>Every refusal code written in the app and the domain: a code literal followed by its English text.</summary>
    private static HashSet<string> CodesInSource() =>
        [.. SourceFiles().SelectMany(f => CodeAndText().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))];

    private static IEnumerable<string> SourceFiles() =>
        new[] { "MerchantConsole", "MerchantConsole.Domain" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    internal static HashSet<string> Keys(string file) =>
        [.. XDocument.Load(Path.Combine(Root, "MerchantConsole", "Localization", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];

    [GeneratedRegex(@"(?:DomainException|Refusal\.Of|EnsureChangeable|EnsureDraft)\((?:\w+, )?""([A-Z][A-Za-z]*\.[A-Z][A-Za-z]*)"",\s*\$?""")]
    private static partial Regex CodeAndText();

    [GeneratedRegex("""new DomainException\(\$?"[^"]*"\)""")]
    private static partial Regex MessageOnlyThrow();

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MerchantConsole.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("MerchantConsole.sln not found above the test output.");
    }
}
