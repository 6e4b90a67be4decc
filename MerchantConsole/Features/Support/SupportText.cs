using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Localization;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Features.Support;

/// <summary>Enum labels and colours shared by the support pages.</summary>
public static class SupportText
{
    /// <summary>Statuses come from the one shared vocabulary, so the support console and the subject's page agree.</summary>
    public static string Of<TEnum>(this IStringLocalizer<SupportStrings> t, TEnum value) where TEnum : struct, Enum =>
        typeof(TEnum).Name switch
        {
            nameof(WorkflowRunStatus) or nameof(WorkflowStepStatus) or nameof(PlanStatus) or nameof(ProductStatus) => Vocabulary.Of(value),
            nameof(SupportRunFilter) => t[$"Filter.{value}"],
            var name => t[$"{name}.{value}"],
        };

    public static string Utc(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") : "—";
}
