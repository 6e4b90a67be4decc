using System.Security.Claims;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.Merchants;
using MerchantConsole.Features.Staff;
using MerchantConsole.Messaging;
using MerchantConsole.Tests.TestSupport;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Staff;

/// <summary>
/// The app's Identity, staff and merchant services over a real migrated database with two merchants and a clock the test
/// moves. Each <see cref="As"/> is one signed-in user's scope, as a circuit or a request has.
/// </summary>
internal sealed class StaffHarness : IAsyncDisposable
{
    public const string Password = "Staff#2026pass";

    private readonly ServiceProvider _services;

    private StaffHarness(TestDatabase database, ServiceProvider services, Merchant merchant, Merchant other)
    {
        Database = database;
        _services = services;
        Merchant = merchant;
        OtherMerchant = other;
    }

    public TestDatabase Database { get; }
    public Merchant Merchant { get; }
    public Merchant OtherMerchant { get; }
    public ManualClock Clock => Database.Clock;

    public static async Task<StaffHarness> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(database.Clock);
        services.AddSingleton(database.Contexts);
        services.AddSingleton<IOutboxTrigger>(database.OutboxTrigger);
        services.AddScoped<MerchantScope>();
        services.AddScoped<IDbContextFactory<MerchantDbContext>, MerchantDbContextFactory>();
        services.AddScoped<MerchantDbContext>(sp => sp.GetRequiredService<ProviderContextOptions>().Create(sp.GetRequiredService<MerchantScope>()));
        services.AddHttpContextAccessor();
        services.AddStaffIdentity();
        services.AddStaff(new ConfigurationBuilder().Build());
        services.AddMerchants();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await using (var scope = provider.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in StaffRoles.All) await roles.CreateAsync(new IdentityRole(role));
        }
        var merchant = await database.AddMerchantAsync("staff-a");
        var other = await database.AddMerchantAsync("staff-b");
        return new StaffHarness(database, provider, merchant, other);
    }

    /// <summary>A user who has set a password.</summary>
    public async Task<StaffUser> AddUserAsync(Guid? merchantId, string email, string role, string? password = Password)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, MerchantId = merchantId };
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    /// <summary>A scope signed in as <paramref name="user"/>.</summary>
    public ActingAs As(StaffUser user)
    {
        var scope = _services.CreateAsyncScope();
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.Email!) };
        if (user.MerchantId is { } merchantId) claims.Add(new(MerchantScope.MerchantIdClaim, merchantId.ToString()));
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseUser(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")));
        return new ActingAs(scope);
    }

    /// <summary>An anonymous scope (the set-password page).</summary>
    public ActingAs Anonymous() => new(_services.CreateAsyncScope());

    public async Task<StaffUser> ReloadAsync(string userId)
    {
        await using var scope = _services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(userId))!;
    }

    /// <summary>Signs in by password as the login page does, minus the cookie.</summary>
    public async Task<SignInResult> SignInAsync(string email, string password)
    {
        await using var scope = _services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
        var user = await signIn.UserManager.FindByEmailAsync(email);
        return user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
    }

    /// <summary>The principal a sign-in cookie would carry for the user right now.</summary>
    public async Task<ClaimsPrincipal> CookiePrincipalAsync(string userId)
    {
        await using var scope = _services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
        return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId))!);
    }

    /// <summary>What the cookie handler's security stamp check decides for that principal (null: signed out).</summary>
    public async Task<StaffUser?> ValidateCookieAsync(ClaimsPrincipal principal)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>().ValidateSecurityStampAsync(principal);
    }

    public async Task<List<AuditEntry>> AuditAsync(Guid merchantId)
    {
        await using var db = Database.For(merchantId);
        return await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

internal sealed class ActingAs(AsyncServiceScope scope) : IAsyncDisposable
{
    public StaffService Staff => scope.ServiceProvider.GetRequiredService<StaffService>();
    public SetPasswordLinks Links => scope.ServiceProvider.GetRequiredService<SetPasswordLinks>();
    public MerchantDirectoryService Directory => scope.ServiceProvider.GetRequiredService<MerchantDirectoryService>();
    public MerchantSettingsService Settings => scope.ServiceProvider.GetRequiredService<MerchantSettingsService>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
