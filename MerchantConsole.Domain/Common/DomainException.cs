namespace MerchantConsole.Domain.Common;

/// <summary>
/// Why a rule refused something, in a form the UI can translate: a stable code (<c>Area.What</c>, e.g.
/// <c>Merchant.NameInvalid</c>), named arguments (a <see cref="Money"/> argument is shown in its own currency),
/// and English text for logs and for codes the UI has no translation of yet. See ARCHITECTURE.md, "Refusals".
/// </summary>
public sealed record Refusal(string Code, string EnglishText, IReadOnlyDictionary<string, object?> Arguments)
{
    public static Refusal Of(string code, string englishText, params (string Name, object? Value)[] arguments) =>
        new(code, englishText, arguments.ToDictionary(a => a.Name, a => a.Value));
}

/// <summary>A rule refused a change. <see cref="Refusal"/> says why, for the person who asked for it.</summary>
public class DomainException : Exception
{
    public Refusal Refusal { get; }

    public DomainException(Refusal refusal) : base(refusal.EnglishText) => Refusal = refusal;

    public DomainException(string code, string englishText, params (string Name, object? Value)[] arguments)
        : this(Refusal.Of(code, englishText, arguments))
    {
    }

    /// <summary>Older refusals without a code; being converted to coded ones (issue 7).</summary>
    public DomainException(string message) : this(Refusal.Of("Uncoded", message))
    {
    }
}
