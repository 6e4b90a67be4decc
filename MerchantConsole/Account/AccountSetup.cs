using MerchantConsole.Data;
using Microsoft.AspNetCore.Identity;

namespace MerchantConsole.Account;

/// <summary>Staff sign-in: ASP.NET Core Identity over the console's context, and who the signed-in user is.</summary>
public static class AccountSetup
{
    /// <summary>Identity, the merchant scope following the signed-in user, and <see cref="CurrentStaff"/>. Call after AddData.</summary>
    public static IServiceCollection AddAccount(this IServiceCollection services)
    {
        services.AddStaffIdentity();
        services.AddMerchantScope();
        services.AddScoped<CurrentStaff>();
        return services;
    }

    public static IServiceCollection AddStaffIdentity(this IServiceCollection services)
    {
        services.AddIdentity<StaffUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<MerchantDbContext>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "MerchantConsole.Auth";
            o.SlidingExpiration = true;
        });
        return services;
    }
}
