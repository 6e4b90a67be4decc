using MerchantConsole.Domain.Merchants;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Data;

/// <summary>
/// Demo merchants and logins, so a fresh `dotnet run` has something to sign in to. Created only where
/// configuration asks for them (the Demo and Development environments): their password is published.
/// </summary>
public sealed class DemoData(
    ProviderContextOptions contexts,
    UserManager<StaffUser> users,
    RoleManager<IdentityRole> roles,
    TimeProvider clock,
    IEnumerable<IDemoMerchantSeed> merchantSeeds,
    ILogger<DemoData> logger)
{
    public const string Password = "Demo#2026pass";

    public static readonly IReadOnlyList<DemoLogin> Logins =
    [
        new("admin@aroma.demo", "Aroma Coffee admin", StaffRoles.MerchantAdmin, "aroma-coffee"),
        new("store@aroma.demo", "Aroma Coffee store manager", StaffRoles.StoreManager, "aroma-coffee"),
        new("admin@orchard.demo", "Fresh Orchard admin", StaffRoles.MerchantAdmin, "fresh-orchard"),
        new("store@orchard.demo", "Fresh Orchard store manager", StaffRoles.StoreManager, "fresh-orchard"),
        new("support@merchantconsole.demo", "Support engineer", StaffRoles.Support, null),
    ];

    private static readonly (string Name, string Code, string TimeZone, string Currency)[] Merchants =
    [
        ("Aroma Coffee 香醇咖啡", "aroma-coffee", "Asia/Shanghai", "CNY"),
        ("Fresh Orchard 鲜果园", "fresh-orchard", "Asia/Shanghai", "CNY"),
    ];

    /// <summary>Refuses demo logins (a published password) in the Production environment: a demo runs as Demo.</summary>
    public static void EnsureAllowedIn(IHostEnvironment environment, bool seedDemoData)
    {
        if (seedDemoData && environment.IsProduction())
            throw new InvalidOperationException(
                "Database:SeedDemoData creates logins with a published password and is refused in the Production environment. " +
                "Run a demo in the Demo environment (dotnet run --project MerchantConsole), or turn the setting off.");
    }

    /// <summary>The roles every configuration needs, demo or not; running it again changes nothing.</summary>
    public static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in StaffRoles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)));
    }

    /// <summary>Creates whatever is missing; running it again changes nothing.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await EnsureRolesAsync(roles);

        var merchantIds = new Dictionary<string, Guid>();
        await using (var db = contexts.Create(new MerchantScope()))
        {
            foreach (var (name, code, zone, currency) in Merchants)
            {
                var merchant = await db.Merchants.SingleOrDefaultAsync(m => m.Code == code, cancellationToken);
                if (merchant is null)
                {
                    merchant = Merchant.Create(name, code, zone, currency, clock.GetUtcNow());
                    db.Merchants.Add(merchant);
                }
                merchantIds[code] = merchant.Id;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        foreach (var (name, code, _, _) in Merchants)
        foreach (var seed in merchantSeeds.OrderBy(s => s.Stage))
            await seed.SeedAsync(merchantIds[code], name, cancellationToken);

        foreach (var login in Logins)
        {
            if (await users.FindByEmailAsync(login.Email) is not null) continue;
            var user = new StaffUser
            {
                UserName = login.Email,
                Email = login.Email,
                EmailConfirmed = true,
                DisplayName = login.DisplayName,
                MerchantId = login.MerchantCode is null ? null : merchantIds[login.MerchantCode],
            };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, login.Role));
            logger.LogInformation("Seeded demo user {Email}", login.Email);
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}

/// <summary>
/// Demo records a feature adds to each demo merchant. Features register one; <see cref="DemoData"/> runs them after
/// creating the merchants, so Data never needs to know the features. Must change nothing when run again.
/// </summary>
public interface IDemoMerchantSeed
{
    /// <summary>Seeds run by stage, then in the order features register them: a seed that hands things to every member runs late.</summary>
    int Stage => 0;

    Task SeedAsync(Guid merchantId, string merchantName, CancellationToken cancellationToken);
}

public sealed record DemoLogin(string Email, string DisplayName, string Role, string? MerchantCode);
