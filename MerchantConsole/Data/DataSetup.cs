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
        services.AddHealthChecks().AddDbContextCheck<MerchantDbContext>("database");
        return services;
    }

    /// <summary>Applies the migrations and seeds, each switchable in configuration.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        DemoData.EnsureAllowedIn(app.Environment, options.SeedDemoData);
        await using var scope = app.Services.CreateAsyncScope();
        if (options.MigrateOnStartup)
            await scope.ServiceProvider.GetRequiredService<ProviderContextOptions>().MigrateAsync();
        await DemoData.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
        if (options.SeedDemoData)
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
    }
}
