using System.Globalization;
using System.Resources;

namespace MerchantConsole.Localization;

/// <summary>Marker for Terms.resx / Terms.zh-CN.resx: the one translated name of every status, step and rule (key <c>EnumType.Value</c>).</summary>
public sealed class Terms;

/// <summary>
/// One name per concept: the plan page, the wizard, the support console and every refusal name a plan status,
/// run status, activation step or rule through here, so the same thing reads the same everywhere.
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

    public string Name(Enum value) => Of(value);

    public string Name(string enumType, string value) => Of(enumType, value);
}
