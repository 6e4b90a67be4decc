using System.Globalization;
using System.Text.RegularExpressions;

namespace MerchantConsole.Domain.Common;

/// <summary>
/// Why a rule refused something, in a form the UI can translate: a stable code (<c>Area.What</c>, e.g.
/// <c>Merchant.NameInvalid</c>), named arguments (a <see cref="Money"/> argument is shown in its own currency),
/// and English text with <c>{Name}</c> placeholders for logs and tests. See ARCHITECTURE.md, "Refusals".
/// </summary>
public sealed partial record Refusal(string Code, string EnglishText, IReadOnlyDictionary<string, object?> Arguments)
{
    public static Refusal Of(string code, string englishText, params (string Name, object? Value)[] arguments) =>
        new(code, englishText, arguments.ToDictionary(a => a.Name, a => a.Value));

    /// <summary>The English text with its arguments filled in (invariant formatting), for logs and exception messages.</summary>
    public string English => Fill(EnglishText, value => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    });

    /// <summary>Replaces each <c>{Name}</c> in <paramref name="template"/> with its argument as <paramref name="format"/> writes it; unknown names stay.</summary>
    public string Fill(string template, Func<object?, string> format) =>
        Placeholder().Replace(template, m => Arguments.TryGetValue(m.Groups[1].Value, out var value) ? format(value) : m.Value);

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();
}

/// <summary>A rule refused a change. <see cref="Refusal"/> says why, for the person who asked for it.</summary>
public class DomainException : Exception
{
    public Refusal Refusal { get; }

    public DomainException(Refusal refusal) : base(refusal.English) => Refusal = refusal;

    public DomainException(string code, string englishText, params (string Name, object? Value)[] arguments)
        : this(Refusal.Of(code, englishText, arguments))
    {
    }
}
