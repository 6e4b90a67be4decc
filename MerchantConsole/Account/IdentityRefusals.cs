using MerchantConsole.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace MerchantConsole.Account;

/// <summary>
/// Identity's own errors (a weak password, a taken email) as refusals, so pages word them through RefusalText like
/// every other refusal: code <c>Identity.&lt;Identity's code&gt;</c>, Identity's English description as the fallback.
/// </summary>
public static class IdentityRefusals
{
    public static Refusal From(IdentityError error) => Refusal.Of($"Identity.{error.Code}", error.Description.Replace("{", "(").Replace("}", ")"));

    public static IReadOnlyList<Refusal> From(IEnumerable<IdentityError> errors) => [.. errors.Select(From)];

    /// <summary>Refuses with Identity's first error, worded like every other refusal, when an account change failed.</summary>
    public static void EnsureSucceeded(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new DomainException(From(result.Errors.First()));
    }

    /// <summary>The set-password forms' own check: the two passwords typed differ.</summary>
    public static Refusal PasswordsDiffer { get; } = Refusal.Of("Password.Mismatch", "The passwords do not match.");
}
