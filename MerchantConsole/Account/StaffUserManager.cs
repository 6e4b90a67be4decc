using MerchantConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Account;

/// <summary>
/// Identity changes the security stamp on a password reset but not on a role change or a lockout; this does,
/// so each of them ends the user's sessions everywhere (see <see cref="StaffSessions"/>).
/// </summary>
public sealed class StaffUserManager(
    IUserStore<StaffUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<StaffUser> passwordHasher,
    IEnumerable<IUserValidator<StaffUser>> userValidators,
    IEnumerable<IPasswordValidator<StaffUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<StaffUser>> logger,
    TimeProvider time)
    : UserManager<StaffUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> AddToRoleAsync(StaffUser user, string role) =>
        await EndSessionsIfSucceeded(user, await base.AddToRoleAsync(user, role));

    public override async Task<IdentityResult> AddToRolesAsync(StaffUser user, IEnumerable<string> roles) =>
        await EndSessionsIfSucceeded(user, await base.AddToRolesAsync(user, roles));

    public override async Task<IdentityResult> RemoveFromRoleAsync(StaffUser user, string role) =>
        await EndSessionsIfSucceeded(user, await base.RemoveFromRoleAsync(user, role));

    public override async Task<IdentityResult> RemoveFromRolesAsync(StaffUser user, IEnumerable<string> roles) =>
        await EndSessionsIfSucceeded(user, await base.RemoveFromRolesAsync(user, roles));

    /// <summary>Locking ends the sessions; unlocking (a past or no end date) leaves the stamp alone.</summary>
    public override async Task<IdentityResult> SetLockoutEndDateAsync(StaffUser user, DateTimeOffset? lockoutEnd)
    {
        var result = await base.SetLockoutEndDateAsync(user, lockoutEnd);
        return lockoutEnd > time.GetUtcNow() ? await EndSessionsIfSucceeded(user, result) : result;
    }

    /// <summary>The failed attempt that locks the account (Identity sets the end date through its store, not the method above).</summary>
    public override async Task<IdentityResult> AccessFailedAsync(StaffUser user)
    {
        var result = await base.AccessFailedAsync(user);
        return result.Succeeded && await IsLockedOutAsync(user) ? await UpdateSecurityStampAsync(user) : result;
    }

    private async Task<IdentityResult> EndSessionsIfSucceeded(StaffUser user, IdentityResult result) =>
        result.Succeeded ? await UpdateSecurityStampAsync(user) : result;
}
