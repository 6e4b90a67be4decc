using MerchantConsole.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Account;

public static class SessionSetup
{
    /// <summary>Sessions that end: call after AddAccount and AddConsoleUi, whose registrations these replace.</summary>
    public static IServiceCollection AddStaffSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SessionOptions>(configuration.GetSection(SessionOptions.Section));
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<SessionOptions>>((o, sessions) => o.ValidationInterval = sessions.Value.ValidationInterval);
        services.Replace(ServiceDescriptor.Scoped<UserManager<StaffUser>, StaffUserManager>());
        services.Replace(ServiceDescriptor.Scoped<SignInManager<StaffUser>, StaffSignInManager>());
        services.Replace(ServiceDescriptor.Scoped<AuthenticationStateProvider, StaffRevalidatingAuthenticationStateProvider>());
        services.AddScoped<StaffSessions>();
        return services;
    }

    /// <summary>
    /// Sign-out is a form post with the antiforgery token (a link or another site cannot sign anyone out), and it
    /// ends the user's sessions everywhere, not only the cookie in this browser.
    /// </summary>
    public static IEndpointRouteBuilder MapStaffSessions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Logout", async (HttpContext http, IAntiforgery antiforgery, UserManager<StaffUser> users, SignInManager<StaffUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.BadRequest();
            if (await users.GetUserAsync(http.User) is { } user)
                await users.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/Account/Login");
        });
        return endpoints;
    }
}
