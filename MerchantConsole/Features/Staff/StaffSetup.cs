using MerchantConsole.Data;
using Microsoft.AspNetCore.Identity;

namespace MerchantConsole.Features.Staff;

public static class StaffSetup
{
    public const string AdminRoles = StaffRoles.MerchantAdmin;
    public const string ListUrl = "/staff";

    public static string DetailUrl(string userId) => $"/staff/{Uri.EscapeDataString(userId)}";

    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StaffOptions>(configuration.GetSection(StaffOptions.Section));
        services.AddScoped<SetPasswordLinks>();
        services.AddScoped<StaffService>();
        // Sign-in asks IUserConfirmation only when an account must be "confirmed": ours says a deactivated user is not.
        services.Configure<IdentityOptions>(o => o.SignIn.RequireConfirmedAccount = true);
        services.AddScoped<IUserConfirmation<StaffUser>, ActiveStaffConfirmation>();
        return services;
    }
}

/// <summary>A deactivated user cannot sign in (SignInManager.CanSignInAsync refuses with NotAllowed).</summary>
public sealed class ActiveStaffConfirmation : IUserConfirmation<StaffUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<StaffUser> manager, StaffUser user) => Task.FromResult(user.IsActive);
}
