using System.Reflection;
using System.Text.RegularExpressions;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Tests.Localization;

namespace MerchantConsole.Tests;

/// <summary>
/// Dependencies point inward (ARCHITECTURE.md, "Projects and the direction of dependencies"):
/// Features/Account → Data/Messaging/Jobs → Domain, never back; the domain holds no EF, ASP.NET, Hangfire or UI.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    private static readonly string[] InnerFolders = ["Data", "Messaging", "Jobs", "Workflows", "Telemetry"];
    private static readonly string[] OuterNamespaces = ["MerchantConsole.Features", "MerchantConsole.Account"];

    [Fact]
    public void DataMessagingAndJobsSourceNamesNoFeatureOrAccount()
    {
        var project = Path.Combine(RefusalTextTests.Root, "MerchantConsole");
        var offences = InnerFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(project, folder), "*.cs", SearchOption.AllDirectories))
            // Migrations are generated history: their snapshots name entity types by their full name at the time.
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line: WithoutComment(line), number: i + 1)))
            .Where(l => OuterReference().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(project, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.Empty(offences);
    }

    [Fact]
    public void NoGlobalUsingBringsFeaturesOrAccountIntoEveryFile()
    {
        var project = Path.Combine(RefusalTextTests.Root, "MerchantConsole");
        var globalUsings = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Where(line => line.TrimStart().StartsWith("global using", StringComparison.Ordinal))
            .Where(line => !line.Contains('=', StringComparison.Ordinal)); // an alias names one type, not a namespace
        var projectUsings = File.ReadAllText(Path.Combine(project, "MerchantConsole.csproj"));

        Assert.DoesNotContain(globalUsings, line => OuterNamespaces.Any(n => line.Contains(n, StringComparison.Ordinal)));
        Assert.DoesNotContain(OuterNamespaces, n => projectUsings.Contains($"<Using Include=\"{n}", StringComparison.Ordinal));
    }

    [Fact]
    public void DataMessagingAndJobsTypesExposeNoFeatureOrAccountType()
    {
        var inner = typeof(MerchantDbContext).Assembly.GetTypes()
            .Where(t => InnerFolders.Any(f => t.Namespace?.StartsWith($"MerchantConsole.{f}", StringComparison.Ordinal) == true));
        var offences = (
            from type in inner
            from used in Signature(type)
            where IsOuter(used)
            select $"{type.FullName} uses {used.FullName}").Distinct().ToList();

        Assert.Empty(offences);
    }

    [Fact]
    public void TheDomainReferencesNoEfAspNetHangfireOrMudBlazor()
    {
        string[] banned = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Hangfire", "MudBlazor", "Microsoft.Extensions", "QRCoder", "SixLabors"];
        var references = typeof(Money).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.DoesNotContain(references, name => banned.Any(b => name.StartsWith(b, StringComparison.Ordinal)));
    }

    [Fact]
    public void TheDomainHoldsNoWizardStepsSvgOrWalletJson()
    {
        var offences = typeof(Money).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => $"{t.FullName}.{m.Name}").Prepend(t.FullName ?? t.Name))
            .Where(name => UiWords().IsMatch(name))
            .ToList();

        Assert.Empty(offences);
    }

    private static bool IsOuter(Type type) =>
        OuterNamespaces.Any(n => type.Namespace?.StartsWith(n, StringComparison.Ordinal) == true);

    /// <summary>Every type a type's signature names: base, interfaces, fields, properties, method and constructor parameters, generic arguments.</summary>
    private static IEnumerable<Type> Signature(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var named = new List<Type>();
        if (type.BaseType is { } baseType) named.Add(baseType);
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(all).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info) named.Add(info.ReturnType);
        }
        return named.SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
            return Unwrap(element);
        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Prepend(type) : [type];
    }

    private static string WithoutComment(string line)
    {
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        return comment < 0 ? line : line[..comment];
    }

    // "MerchantConsole.Features.X", "using MerchantConsole.Account;", or relative "Features.X" / "Account.X" from inside MerchantConsole.*
    [GeneratedRegex(@"(?<![\w.])(MerchantConsole\.)?(Features|Account)\.[A-Z]|\bMerchantConsole\.(Features|Account)\b")]
    private static partial Regex OuterReference();

    [GeneratedRegex(@"Wizard|Svg|Json", RegexOptions.IgnoreCase)]
    private static partial Regex UiWords();
}
