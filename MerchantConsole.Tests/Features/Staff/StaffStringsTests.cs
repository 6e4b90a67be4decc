using System.Xml.Linq;
using MerchantConsole.Data;
using MerchantConsole.Features.Staff;

namespace MerchantConsole.Tests.Features.Staff;

public sealed class StaffStringsTests
{
    private static readonly string Folder = Path.Combine(FindRepositoryRoot(), "MerchantConsole", "Features", "Staff");

    [Fact]
    public void EveryStaffStringExistsInEnglishAndChinese()
    {
        var english = Keys("StaffStrings.resx");
        var chinese = Keys("StaffStrings.zh-CN.resx");

        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void EveryStatusRoleAuditActionAndLinkOutcomeTheUiShowsHasAString()
    {
        var keys = Keys("StaffStrings.resx");
        string[] expected =
        [
            .. Enum.GetNames<StaffStatus>().Select(n => $"Status.{n}"),
            .. StaffRoles.All.Select(r => $"Role.{r}"),
            .. StaffAudit.Actions.Select(a => $"Audit.{a}"),
            .. Enum.GetNames<SetPasswordOutcome>().Where(n => n != nameof(SetPasswordOutcome.Done)).Select(n => $"SetPassword.{n}"),
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
        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
