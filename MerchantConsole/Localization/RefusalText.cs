using System.Globalization;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Localization;

/// <summary>Marker for the refusal texts in RefusalStrings.resx and RefusalStrings.zh-CN.resx: one entry per refusal code.</summary>
public sealed class RefusalStrings;

/// <summary>
/// Words a <see cref="Refusal"/> (a domain refusal or a dry-run problem) in the UI language: the text of its code
/// with the named arguments filled in, money in its own currency, enum values by their one translated name
/// (<see cref="Vocabulary"/>), numbers and dates in the UI culture. A code without a translation falls back to
/// the refusal's English text, so a new refusal is never shown blank. See ARCHITECTURE.md, "Refusals".
/// </summary>
public sealed class RefusalText(IStringLocalizer<RefusalStrings> strings, Vocabulary vocabulary)
{
    public string Render(Refusal refusal)
    {
        var text = strings[refusal.Code];
        if (text.ResourceNotFound)
            return refusal.Fill(refusal.EnglishText, Format);
        return WithFieldLabel(refusal).Fill(text.Value, Format);
    }

    /// <summary>
    /// A <c>Field</c> argument is a stable field name (such as <c>PlanName</c>); the translated text shows its label,
    /// kept in this file as <c>Field.&lt;name&gt;</c>.
    /// </summary>
    private Refusal WithFieldLabel(Refusal refusal)
    {
        if (refusal.Arguments.GetValueOrDefault("Field") is not string field || strings[$"Field.{field}"] is not { ResourceNotFound: false } label)
            return refusal;
        var arguments = new Dictionary<string, object?>(refusal.Arguments) { ["Field"] = label.Value };
        return refusal with { Arguments = arguments };
    }

    public string Render(DomainException refusal) => Render(refusal.Refusal);

    public string Render(DryRunProblem problem) => Render(problem.Refusal);

    /// <summary>Whether both languages have a text for <paramref name="code"/>.</summary>
    public bool Knows(string code, CultureInfo culture) => LocalizedIn(code, culture) is not null;

    private string? LocalizedIn(string code, CultureInfo culture)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = culture;
            var text = strings[code];
            return text.ResourceNotFound ? null : text.Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private string Format(object? value) => value switch
    {
        null => "",
        Refusal inner => Render(inner),
        Money money => MoneyFormat.Format(money, CultureInfo.CurrentCulture),
        Enum term => vocabulary.Name(term),
        WorkflowStepRef step => Vocabulary.Step(step.Kind, step.Name),
        DateOnly date => date.ToString("d", CultureInfo.CurrentCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.CurrentCulture),
        _ => value.ToString() ?? "",
    };
}
