using MerchantConsole.Domain.Plans;
using MerchantConsole.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantConsole.Features.Support;

/// <summary>Enum labels and colours shared by the support pages.</summary>
public static class SupportText
{
    /// <summary>Statuses and step names come from the one shared vocabulary, so the support console and the plan page agree.</summary>
    public static string Of<TEnum>(this IStringLocalizer<SupportStrings> t, TEnum value) where TEnum : struct, Enum =>
        typeof(TEnum).Name switch
        {
            nameof(ActivationRunStatus) or nameof(ActivationStepName) or nameof(ActivationStepStatus)
                or nameof(PlanStatus) or nameof(ProductStatus) => Vocabulary.Of(value),
            nameof(ActivationRunKind) => t[$"Kind.{value}"],
            nameof(SupportRunFilter) => t[$"Filter.{value}"],
            var name => t[$"{name}.{value}"],
        };

    public static Color Colour(ActivationRunStatus status) => status switch
    {
        ActivationRunStatus.Succeeded => Color.Success,
        ActivationRunStatus.Stuck => Color.Error,
        ActivationRunStatus.RolledBack => Color.Default,
        _ => Color.Info,
    };

    public static Color Colour(ActivationStepStatus status) => status switch
    {
        _ when status.IsDone() => Color.Success,
        ActivationStepStatus.Failed => Color.Error,
        ActivationStepStatus.Running => Color.Info,
        _ => Color.Default,
    };

    public static string Utc(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") : "—";
}
