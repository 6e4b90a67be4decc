using System.Security.Claims;
using MerchantConsole.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Account;

/// <summary>
/// An open interactive tab keeps the user it started with; this checks that user's security stamp every
/// <see cref="SessionOptions.RevalidationInterval"/>. When it no longer matches (signed out elsewhere, locked,
/// password reset, role changed) the tab's user becomes anonymous and the router sends it to the login page.
/// </summary>
public sealed class StaffRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity,
    IOptions<SessionOptions> sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => sessions.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // The circuit's own scope outlives any unit of work; each check gets a fresh one.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return await StampMatchesAsync(users, authenticationState.User);
    }

    private async Task<bool> StampMatchesAsync(UserManager<StaffUser> users, ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is not { } user) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var principalStamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp is not null && principalStamp == await users.GetSecurityStampAsync(user);
    }
}
