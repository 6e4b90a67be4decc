using MerchantConsole.Account;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
        services.AddMerchantScope();
        services.AddScoped<IDbContextFactory<MerchantDbContext>, MerchantDbContextFactory>();
        // Identity's stores take a context straight from DI; give them this scope's one.
        services.AddScoped<MerchantDbContext>(sp => sp.GetRequiredService<ProviderContextOptions>().Create(sp.GetRequiredService<MerchantScope>()));
        services.AddDataProtection().SetApplicationName("MerchantConsole").PersistKeysToDbContext<MerchantDbContext>();
        services.AddScoped<DemoData>();
        services.AddScoped<CurrentStaff>();
        services.AddHealthChecks().AddDbContextCheck<MerchantDbContext>("database");
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
