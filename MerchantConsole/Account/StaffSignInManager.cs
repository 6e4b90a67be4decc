using MerchantConsole.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Account;

/// <summary>
/// Identity answers an unknown user name at once and a known one only after hashing the password, so the
/// answer's timing tells which emails have accounts. Here an unknown name costs the same hash check.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly StaffUser Nobody = new() { Id = "00000000-0000-0000-0000-000000000000", UserName = "nobody" };
    private static string? _dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null)
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);

        // The hash is made by the same hasher and options as real ones, so checking it costs the same iterations.
        var hasher = UserManager.PasswordHasher;
        _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
        return SignInResult.Failed;
    }
}
