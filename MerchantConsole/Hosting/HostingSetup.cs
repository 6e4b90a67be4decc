using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Localization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace MerchantConsole.Hosting;

public static class HostingSetup
{
    public static IServiceCollection AddConsoleUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Chinese text goes out as text, not as numeric entities.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddMudServices();
        services.AddScoped<MerchantConsole.Features.Dashboard.DashboardService>();
        services.AddScoped<MerchantConsole.Features.Dashboard.SupportDashboardService>();
        services.AddScoped<MerchantConsole.Features.Dashboard.MerchantOverviewService>();
        services.AddSingleton<MigrationsHealthCheck>();
        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs").AddCheck<MigrationsHealthCheck>("migrations");
        return services;
    }

    /// <summary>The repository's wwwroot-assets folder (logos, card backgrounds, our CSS) at /assets.</summary>
    public static IApplicationBuilder UseShippedAssets(this IApplicationBuilder app, string contentRoot)
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "wwwroot-assets"),
            Path.GetFullPath(Path.Combine(contentRoot, "..", "wwwroot-assets")),
        };
        var folder = candidates.FirstOrDefault(Directory.Exists)
            ?? throw new InvalidOperationException("The wwwroot-assets folder was not found next to the app or the project.");
        return app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = "/assets" });
    }

    public static WebApplication MapConsoleEndpoints(this WebApplication app)
    {
        app.MapLanguageSwitch();
        // Live: the process answers (no checks). Ready: the database and the job storage answer and no migration is
        // pending; /health is its alias.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        return app;
    }

    /// <summary>Probes get the status only; the checks, their errors and job counts are for signed-in Support.</summary>
    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        if (!context.User.IsInRole(StaffRoles.Support))
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }));
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message }),
        }));
    }

    /// <summary>Prints where the app listens and the demo logins once Kestrel has its addresses.</summary>
    public static void PrintStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var lines = new List<string> { "", "MerchantConsole is running:" };
            lines.AddRange(app.Urls.Select(u => "  " + u));
            if (database.SeedDemoData)
            {
                lines.Add($"Demo logins (password {DemoData.Password}):");
                lines.AddRange(DemoData.Logins.Select(l => $"  {l.Email,-30} {l.Role,-14} {l.MerchantCode ?? "(all merchants)"}"));
                foreach (var (merchant, code) in MerchantConsole.Features.Coupons.CouponsDemo.UnusedCodes.OrderBy(c => c.Key))
                    lines.Add($"Demo coupon to redeem at /redeem ({merchant}): {code}");
            }
            lines.Add("");
            Console.WriteLine(string.Join(Environment.NewLine, lines));
        });
    }
}
