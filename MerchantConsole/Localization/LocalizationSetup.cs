using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MerchantConsole.Localization;

public static class LocalizationSetup
{
    public static readonly string[] Cultures = ["zh-CN", "en"];
    public const string DefaultCulture = "zh-CN";

    public static IServiceCollection AddConsoleLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<Vocabulary>();
        services.AddSingleton<RefusalText>();
        services.AddSingleton<AuditText>();
        services.Replace(ServiceDescriptor.Transient<MudBlazor.MudLocalizer, MudStrings>());
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(DefaultCulture).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            // The cookie the language switch writes wins over the browser's Accept-Language.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    public static IApplicationBuilder UseConsoleLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    /// <summary>Writes the language cookie and goes back; the page reloads so the circuit starts in the new culture.</summary>
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext http) =>
        {
            if (!Cultures.Contains(culture)) return Results.BadRequest($"Unsupported culture '{culture}'.");
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "/");
        });
        return endpoints;
    }

    private static bool IsLocal(string? uri) =>
        !string.IsNullOrEmpty(uri) && uri.StartsWith('/') && !uri.StartsWith("//") && !uri.StartsWith("/\\");

    public static string DisplayName(string culture) => culture == "en" ? "English" : "中文";

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
}
