using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantConsole.Features.Staff;

/// <summary>Labels shared by the staff, merchant and set-password pages.</summary>
public static class StaffText
{
    public static string Role(this IStringLocalizer<StaffStrings> t, string? role) =>
        string.IsNullOrEmpty(role) ? "—" : string.Join(", ", role.Split(", ").Select(r => Label(t, $"Role.{r}", r)));

    public static string Status(this IStringLocalizer<StaffStrings> t, StaffStatus status) => t[$"Status.{status}"];

    public static string Action(this IStringLocalizer<StaffStrings> t, string action) => Label(t, $"Audit.{action}", action);

    public static string Field(this IStringLocalizer<StaffStrings> t, string field) => Label(t, $"Field.{field}", field);

    public static Color Colour(StaffStatus status) => status switch
    {
        StaffStatus.Active => Color.Success,
        StaffStatus.Pending => Color.Info,
        StaffStatus.LockedOut => Color.Warning,
        _ => Color.Default,
    };

    private static string Label(IStringLocalizer<StaffStrings> t, string key, string fallback) =>
        t[key] is { ResourceNotFound: false } found ? found.Value : fallback;
}
