using System.Security.Claims;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Storefront;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MerchantConsole.Features.Hosted;

/// <summary>
/// Customers of the hosted pages carry a cookie of their own scheme (data-protected like the staff cookie, scoped to
/// <c>/m</c>), holding the same claims as a storefront token. The staff cookie stays the default scheme; only the hosted
/// pages read this one, and a cookie issued by another merchant counts as signed out.
/// </summary>
public static class HostedAuth
{
    public const string Scheme = "HostedCustomer";
    public const string CookieName = "mc-customer";

    public static IServiceCollection AddHostedAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(StorefrontOptions.Section).Get<StorefrontOptions>() ?? new StorefrontOptions();
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = HostedSetup.BasePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.IsEssential = true;
            o.ExpireTimeSpan = settings.TokenLifetime;
            o.SlidingExpiration = true;
            // Pages decide where a signed-out customer goes (the sign-in page of the right merchant); never the staff login.
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        return services;
    }

    public static Task SignInAsync(HttpContext http, Customer customer) =>
        http.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(StorefrontAuth.PrincipalFor(customer).Claims, Scheme)));

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>The customer the request's cookie names, if it was issued for <paramref name="merchantId"/>.</summary>
    public static async Task<Guid?> CustomerOfAsync(HttpContext http, Guid merchantId)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
            return null;
        var user = result.Principal;
        return Guid.TryParse(user.FindFirstValue(StorefrontAuth.MerchantIdClaim), out var merchant) && merchant == merchantId
            && Guid.TryParse(user.FindFirstValue(StorefrontAuth.CustomerIdClaim), out var customer)
                ? customer : null;
    }
}
