using MerchantConsole.Domain.Common;
using MerchantConsole.Localization;

namespace MerchantConsole.Features.Storefront;

/// <summary>
/// Every storefront error as problem details: a refusal's code (<c>code</c>) and its text in the request's language
/// (<c>detail</c>); a validation problem names the field (<c>errors</c>).
/// </summary>
public static class StorefrontProblems
{
    public static IResult NotFound(HttpContext http, Refusal refusal) => Problem(http, StatusCodes.Status404NotFound, refusal);

    public static IResult Problem(HttpContext http, int status, Refusal refusal) =>
        TypedResults.Problem(statusCode: status, title: TitleOf(status), detail: Text(http, refusal),
            extensions: new Dictionary<string, object?> { ["code"] = refusal.Code });

    /// <summary>A 400 naming <paramref name="field"/> (as the request's JSON spells it).</summary>
    public static IResult Invalid(HttpContext http, string field, Refusal refusal) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [Text(http, refusal)] },
            detail: Text(http, refusal), title: "One or more fields are not valid.",
            extensions: new Dictionary<string, object?> { ["code"] = refusal.Code });

    /// <summary>The longest piece of a request a problem repeats back (UTF-16 units, never cut inside a character); longer is cut with "…".</summary>
    public const int MaxEchoedLength = 32;

    public static string Text(HttpContext http, Refusal refusal) =>
        http.RequestServices.GetRequiredService<RefusalText>().Render(Shortened(refusal));

    /// <summary>An app shows the problem to its customer: a long argument (what they typed) is cut, not sent back whole.</summary>
    public static Refusal Shortened(Refusal refusal) =>
        refusal.Arguments.Values.Any(v => v is string { Length: > MaxEchoedLength })
            ? refusal with
            {
                Arguments = refusal.Arguments.ToDictionary(a => a.Key,
                    a => a.Value is string { Length: > MaxEchoedLength } text ? TextLength.Clip(text, MaxEchoedLength) + "…" : a.Value),
            }
            : refusal;

    public static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status401Unauthorized => "Sign in first.",
        StatusCodes.Status403Forbidden => "Not allowed.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "Refused.",
        StatusCodes.Status422UnprocessableEntity => "Refused.",
        StatusCodes.Status429TooManyRequests => "Too many requests.",
        _ => "The request failed.",
    };

    public static readonly Refusal MerchantNotFound =
        Refusal.Of("Storefront.MerchantNotFound", "There is no merchant with that code.");
}
