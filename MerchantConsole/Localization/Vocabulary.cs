using System.Globalization;
using System.Resources;

namespace MerchantConsole.Localization;

/// <summary>Marker for Terms.resx / Terms.zh-CN.resx: the one translated name of every status, step and rule (key <c>EnumType.Value</c>).</summary>
public sealed class Terms;

/// <summary>
/// One name per concept: the plan page, the wizard, the support console and every refusal name a plan status,
/// run status, workflow step or rule through here, so the same thing reads the same everywhere.
/// </summary>
public sealed class Vocabulary
{
    private static readonly ResourceManager Resources = new(typeof(Terms).FullName!, typeof(Terms).Assembly);

    /// <summary>The name of <paramref name="value"/> in the UI language; the enum's own name if Terms has none.</summary>
    public static string Of(Enum value) => Of(value, CultureInfo.CurrentUICulture);

    public static string Of(Enum value, CultureInfo culture) =>
        Resources.GetString($"{value.GetType().Name}.{value}", culture) ?? value.ToString();

    /// <summary>The name of a value stored as text (an audit row keeps the enum's type name and value name).</summary>
    public static string Of(string enumType, string value) =>
        Resources.GetString($"{enumType}.{value}", CultureInfo.CurrentUICulture) ?? value;

    /// <summary>The name of a workflow kind (key <c>Workflow.Kind</c>); the kind itself if Terms has none.</summary>
    public static string Workflow(string kind) => Workflow(kind, CultureInfo.CurrentUICulture);

    public static string Workflow(string kind, CultureInfo culture) => Resources.GetString($"Workflow.{kind}", culture) ?? kind;

    /// <summary>The name of a step of a workflow kind (key <c>WorkflowStep.Kind.Step</c>); the step's own name if Terms has none.</summary>
    public static string Step(string kind, string step) => Step(kind, step, CultureInfo.CurrentUICulture);

    public static string Step(string kind, string step, CultureInfo culture) => Resources.GetString($"WorkflowStep.{kind}.{step}", culture) ?? step;

    /// <summary>The name of a sort of run of a workflow kind (key <c>WorkflowVariant.Kind.Variant</c>); empty for none.</summary>
    public static string Variant(string kind, string? variant) =>
        variant is null ? "" : Resources.GetString($"WorkflowVariant.{kind}.{variant}", CultureInfo.CurrentUICulture) ?? variant;

    public string Name(Enum value) => Of(value);

    public string Name(string enumType, string value) => Of(enumType, value);
}
