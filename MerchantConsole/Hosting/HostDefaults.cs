namespace MerchantConsole.Hosting;

public static class HostDefaults
{
    /// <summary>Kestrel and host settings that do not depend on a feature: no Server header, build assets when asked.</summary>
    public static WebApplicationBuilder ConfigureConsoleHost(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        // Outside Development a build (not a publish) serves no _content/ or _framework/ files unless the host
        // reads the build's static web assets manifest; without them every page is unstyled and dead.
        var app = builder.Configuration.GetSection(AppOptions.Section).Get<AppOptions>() ?? new AppOptions();
        if (app.UseStaticWebAssets && !builder.Environment.IsDevelopment())
            builder.WebHost.UseStaticWebAssets();
        builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section)
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "App:PublicBaseUrl must be an absolute http(s) address.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddSingleton<FirstRunSetup>();
        builder.Services.AddConsoleSecurityHeaders();
        return builder;
    }
}
