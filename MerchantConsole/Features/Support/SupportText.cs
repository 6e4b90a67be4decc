using MerchantConsole.Domain.Plans;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantConsole.Features.Support;

/// <summary>Enum labels and colours shared by the support pages.</summary>
public static class SupportText
{
    public static string Of<TEnum>(this IStringLocalizer<SupportStrings> t, TEnum value) where TEnum : struct, Enum =>
        t[$"{typeof(TEnum).Name switch
        {
            nameof(ActivationRunStatus) => "RunStatus",
            nameof(ActivationRunKind) => "Kind",
            nameof(ActivationStepName) => "Step",
            nameof(ActivationStepStatus) => "StepStatus",
            nameof(SupportRunFilter) => "Filter",
            var name => name,
        }}.{value}"];

    public static Color Colour(ActivationRunStatus status) => status switch
    {
        ActivationRunStatus.Succeeded => Color.Success,
        ActivationRunStatus.Stuck => Color.Error,
        ActivationRunStatus.RolledBack => Color.Default,
        _ => Color.Info,
    };

    public static Color Colour(ActivationStepStatus status) => status switch
    {
        ActivationStepStatus.Succeeded or ActivationStepStatus.Repaired => Color.Success,
        ActivationStepStatus.Failed => Color.Error,
        ActivationStepStatus.Running => Color.Info,
        _ => Color.Default,
    };

    public static string Utc(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") : "—";
}
