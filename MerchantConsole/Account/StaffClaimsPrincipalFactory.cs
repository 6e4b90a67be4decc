using System.Security.Claims;
using MerchantConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Account;

/// <summary>Puts the staff user's merchant into the sign-in cookie; every scope reads it from there.</summary>
public sealed class StaffClaimsPrincipalFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MerchantId is { } merchantId)
            identity.AddClaim(new Claim(MerchantScope.MerchantIdClaim, merchantId.ToString()));
        identity.AddClaim(new Claim("display_name", user.DisplayName));
        return identity;
    }
}
