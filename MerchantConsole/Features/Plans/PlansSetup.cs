using System.Security.Claims;
using MerchantConsole.Data;

namespace MerchantConsole.Features.Plans;

public static class PlansSetup
{
    /// <summary>Who creates, edits, activates, suspends and retires plans.</summary>
    public const string AdminRoles = StaffRoles.MerchantAdmin;

    /// <summary>Who may read the plan list and plan pages: store managers read them to answer customers.</summary>
    public const string ViewRoles = StaffRoles.MerchantAdmin + "," + StaffRoles.StoreManager;

    public static bool CanEdit(ClaimsPrincipal user) => user.IsInRole(AdminRoles);

    public static string ListUrl => "/plans";

    public static string PlanUrl(Guid planId) => $"/plans/{planId}";

    public static string EditUrl(Guid planId, PlanWizardStep? step = null, Guid? focus = null)
    {
        var url = $"/plans/{planId}/edit";
        if (step is { } s)
            url += $"?step={StepSlug(s)}";
        if (focus is { } f)
            url += (step is null ? "?" : "&") + $"focus={f}";
        return url;
    }

    public static string StepSlug(PlanWizardStep step) => step.ToString().ToLowerInvariant();

    public static PlanWizardStep? ParseStep(string? slug) =>
        Enum.TryParse<PlanWizardStep>(slug, ignoreCase: true, out var step) && Enum.IsDefined(step) ? step : null;

    public static IServiceCollection AddPlanEditing(this IServiceCollection services)
    {
        services.AddScoped<PlanQueries>();
        services.AddScoped<PlanWizardService>();
        return services;
    }
}
