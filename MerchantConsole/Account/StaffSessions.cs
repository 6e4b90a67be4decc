using MerchantConsole.Data;
using Microsoft.AspNetCore.Identity;

namespace MerchantConsole.Account;

/// <summary>
/// Ends every session of a staff user: a new security stamp invalidates every cookie issued before it (checked
/// on requests within <see cref="SessionOptions.ValidationInterval"/>) and every open tab (within
/// <see cref="SessionOptions.RevalidationInterval"/>). Calling <c>UserManager.UpdateSecurityStampAsync</c> does the same.
/// </summary>
public sealed class StaffSessions(UserManager<StaffUser> users)
{
    public async Task EndAllAsync(StaffUser user) => Check(await users.UpdateSecurityStampAsync(user));

    /// <summary>False when no such user exists.</summary>
    public async Task<bool> EndAllAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user) return false;
        await EndAllAsync(user);
        return true;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("The sessions could not be ended: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
