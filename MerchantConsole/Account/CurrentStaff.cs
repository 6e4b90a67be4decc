using System.Security.Claims;
using MerchantConsole.Data;
using MerchantConsole.Domain.Merchants;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Account;

/// <summary>
/// The signed-in staff user and their merchant, loaded once per circuit. Also makes sure the
/// scope follows the user even if a page initialises before the circuit handler has run.
/// </summary>
public sealed class CurrentStaff(AuthenticationStateProvider authentication, MerchantScope scope, IDbContextFactory<MerchantDbContext> contexts)
{
    private Merchant? _merchant;
    private bool _loaded;

    public ClaimsPrincipal User { get; private set; } = new();
    public Merchant? Merchant => _merchant;
    public string DisplayName => User.FindFirst("display_name")?.Value is { Length: > 0 } name ? name : User.Identity?.Name ?? "";
    public bool IsSupport => User.IsInRole(StaffRoles.Support);

    public async Task<CurrentStaff> LoadAsync()
    {
        if (_loaded) return this;
        User = (await authentication.GetAuthenticationStateAsync()).User;
        if (scope.MerchantId is null && !scope.AcrossMerchants) scope.UseUser(User);
        if (scope.MerchantId is { } merchantId)
        {
            await using var db = await contexts.CreateDbContextAsync();
            _merchant = await db.Merchants.AsNoTracking().SingleOrDefaultAsync(m => m.Id == merchantId);
        }
        _loaded = true;
        return this;
    }

    /// <summary>An instant in the merchant's time zone (UTC for support staff, who span zones).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => _merchant?.ToLocal(instant) ?? instant.ToUniversalTime();

    public string ZoneName => _merchant?.TimeZoneId ?? "UTC";
}
