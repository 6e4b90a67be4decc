using Microsoft.AspNetCore.Identity;

namespace MerchantConsole.Data;

/// <summary>A person who signs in to the console. Merchant staff belong to one merchant; support staff to none.</summary>
public sealed class StaffUser : IdentityUser
{
    public Guid? MerchantId { get; set; }
    public string DisplayName { get; set; } = "";
}

public static class StaffRoles
{
    public const string MerchantAdmin = nameof(MerchantAdmin);
    public const string StoreManager = nameof(StoreManager);
    public const string Support = nameof(Support);
    public static readonly string[] All = [MerchantAdmin, StoreManager, Support];
}
