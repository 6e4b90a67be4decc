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
            return Results.Redirect(LocalTarget(redirectUri));
        });
        return endpoints;
    }

    /// <summary>
    /// A path on this site to go back to, escaped for the Location header; "/" for anything else (another site,
    /// control characters, a path that normalises to another site): the switch never fails over its return address.
    /// </summary>
    private static string LocalTarget(string? uri)
    {
        if (string.IsNullOrEmpty(uri) || uri.Length > 2048 || !uri.StartsWith('/') || uri.StartsWith("//") || uri.StartsWith("/\\")
            || uri.Any(char.IsControl))
            return "/";
        var origin = new Uri("http://local.invalid");
        if (!Uri.TryCreate(origin, uri, out var absolute) || absolute.Authority != origin.Authority)
            return "/";
        // Dot segments are resolved by now: "/..//evil" must not come out as "//evil".
        var target = absolute.PathAndQuery + absolute.Fragment;
        return target.StartsWith("//") || target.StartsWith("/\\") ? "/" : target;
    }

    public static string DisplayName(string culture) => culture == "en" ? "English" : "中文";

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
}
