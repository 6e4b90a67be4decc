using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace MerchantConsole.Data;

/// <summary>A person who signs in to the console. Merchant staff belong to one merchant; support staff to none.</summary>
public sealed class StaffUser : IdentityUser
{
    public Guid? MerchantId { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>Set when an admin deactivated the user: sign-in is refused until reactivated.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    public bool IsActive => DeactivatedAt is null;
}

public static class StaffRoles
{
    public const string MerchantAdmin = nameof(MerchantAdmin);
    public const string StoreManager = nameof(StoreManager);
    public const string Support = nameof(Support);
    public static readonly string[] All = [MerchantAdmin, StoreManager, Support];
    /// <summary>The roles a merchant admin may give; Support is granted only outside the app.</summary>
    public static readonly string[] MerchantRoles = [MerchantAdmin, StoreManager];
}

/// <summary>
/// A one-time link that lets a staff user set their password (an invitation, or a merchant's first admin).
/// Only the SHA-256 of the token is stored; the token itself is shown once to whoever created the link.
/// </summary>
public sealed class SetPasswordLink
{
    public Guid Id { get; set; }
    public Guid MerchantId { get; set; }
    public string UserId { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public string CreatedBy { get; set; } = "";

    /// <summary>A new link and the token to put in its URL (URL-safe, 256 random bits).</summary>
    public static (SetPasswordLink Link, string Token) Create(Guid merchantId, string userId, string createdBy, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var link = new SetPasswordLink
        {
            Id = Guid.NewGuid(),
            MerchantId = merchantId,
            UserId = userId,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            CreatedBy = createdBy,
        };
        return (link, token);
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token ?? "")));
}
