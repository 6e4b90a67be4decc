using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Data;

public static class DataSetup
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton<SaveStampingInterceptor>();
        services.AddSingleton(sp => new ProviderContextOptions(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot, sp.GetRequiredService<SaveStampingInterceptor>()));
        // One per DI scope (a request or a circuit); Account makes it follow the signed-in user.
        services.TryAddScoped<MerchantScope>();
        services.AddScoped<IDbContextFactory<MerchantDbContext>, MerchantDbContextFactory>();
        // Identity's stores take a context straight from DI; give them this scope's one.
        services.AddScoped<MerchantDbContext>(sp => sp.GetRequiredService<ProviderContextOptions>().Create(sp.GetRequiredService<MerchantScope>()));
        services.AddDataProtection().SetApplicationName("MerchantConsole").PersistKeysToDbContext<MerchantDbContext>();
        services.AddScoped<DemoData>();
        services.AddTransient<SqliteStatisticsJob>();
        services.AddHostedService<SqliteCheckpointer>();
        services.AddHealthChecks().AddDbContextCheck<MerchantDbContext>("database");
        return services;
    }

    /// <summary>
    /// Applies the migrations and seeds, each switchable in configuration (<paramref name="migrate"/>: the migrate
    /// command's, whatever the setting). A node that does not migrate and finds migrations pending starts without
    /// seeding (false); its readiness probe says so until the migrate command has run.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app, bool? migrate = null)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        DemoData.EnsureAllowedIn(app.Environment, options.SeedDemoData);
        await using var scope = app.Services.CreateAsyncScope();
        var contexts = scope.ServiceProvider.GetRequiredService<ProviderContextOptions>();
        if (migrate ?? options.MigrateOnStartup)
            await contexts.MigrateAsync();
        else
        {
            await using var db = contexts.CreateAcrossMerchants(SystemActors.Jobs);
            if ((await db.Database.GetPendingMigrationsAsync()).Any())
            {
                app.Logger.LogWarning("Migrations are pending and Database:MigrateOnStartup is off: not ready until the migrate command runs");
                return false;
            }
        }
        await DemoData.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
        if (options.SeedDemoData)
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
        await scope.ServiceProvider.GetRequiredService<SqliteStatisticsJob>().RunAsync(CancellationToken.None);
        return true;
    }
}
