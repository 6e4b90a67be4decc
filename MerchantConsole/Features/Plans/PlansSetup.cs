using MerchantConsole.Data;

namespace MerchantConsole.Features.Plans;

public static class PlansSetup
{
    public const string AdminRoles = StaffRoles.MerchantAdmin;

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
        services.AddScoped<PlanEditingService>();
        return services;
    }
}
