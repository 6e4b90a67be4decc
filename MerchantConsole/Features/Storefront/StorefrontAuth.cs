using System.Security.Claims;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Storefront;

/// <summary>
/// Customers carry a bearer token of their own scheme (ASP.NET Core's bearer token handler, data-protected like the
/// staff cookie). The staff cookie stays the default scheme: only storefront endpoints ask for this one.
/// </summary>
public static class StorefrontAuth
{
    public const string Scheme = "StorefrontBearer";
    public const string CustomerPolicy = "StorefrontCustomer";
    public const string CustomerIdClaim = "storefront_customer";
    public const string MerchantIdClaim = "storefront_merchant";

    public static IServiceCollection AddStorefrontAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(StorefrontOptions.Section).Get<StorefrontOptions>() ?? new StorefrontOptions();
        services.AddAuthentication().AddBearerToken(Scheme, o =>
        {
            o.BearerTokenExpiration = settings.TokenLifetime;
            o.RefreshTokenExpiration = settings.TokenLifetime;
        });
        services.AddAuthorizationBuilder().AddPolicy(CustomerPolicy, p => p
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(CustomerIdClaim)
            .RequireClaim(MerchantIdClaim));
        return services;
    }

    public static ClaimsPrincipal PrincipalFor(Customer customer) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, customer.Id.ToString()),
            new Claim(CustomerIdClaim, customer.Id.ToString()),
            new Claim(MerchantIdClaim, customer.MerchantId.ToString()),
        ], Scheme));

    /// <summary>
    /// The rate limiter's partition of a request with a bearer token: its customer (so every token of one customer shares
    /// one budget), read by unprotecting the token as the handler will; an unreadable or expired token is its own partition.
    /// </summary>
    public static string LimitKeyOf(HttpContext http, string bearerToken)
    {
        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions>>().Get(Scheme);
        var ticket = options.BearerTokenProtector.Unprotect(bearerToken);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (ticket is { Properties.ExpiresUtc: { } expires } && expires > now
            && ticket.Principal.FindFirstValue(MerchantIdClaim) is { } merchant && ticket.Principal.FindFirstValue(CustomerIdClaim) is { } customer)
            return $"customer|{merchant}|{customer}";
        return "token|" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bearerToken)));
    }

    /// <summary>The customer a token names, if it was issued by <paramref name="merchantId"/>.</summary>
    public static Guid? CustomerOf(ClaimsPrincipal user, Guid merchantId) =>
        user.Identity?.AuthenticationType == Scheme
        && Guid.TryParse(user.FindFirstValue(MerchantIdClaim), out var merchant) && merchant == merchantId
        && Guid.TryParse(user.FindFirstValue(CustomerIdClaim), out var customer)
            ? customer : null;
}

/// <summary>Finds the customer of a phone in the current merchant's scope, creating one on first sign-in.</summary>
public sealed class StorefrontCustomers(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock)
{
    public async Task<Customer?> FindAsync(Guid customerId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, ct);
    }

    public async Task<Customer> FindOrCreateAsync(Guid merchantId, string phone, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            if (await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Phone == phone, ct) is { } existing)
                return existing;
            // A new customer is named after the phone's last digits until they say otherwise.
            var customer = Customer.Create(merchantId, phone, "Customer " + phone[^Math.Min(4, phone.Length)..], null, null, clock.GetUtcNow());
            db.Customers.Add(customer);
            try
            {
                await db.SaveChangesAsync(ct);
                return customer;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another sign-in of the same phone created it first: read theirs.
            }
        }
    }
}
