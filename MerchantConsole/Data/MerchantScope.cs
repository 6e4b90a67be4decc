using System.Security.Claims;

namespace MerchantConsole.Data;

/// <summary>
/// Whose data this unit of work may see. One per DI scope (an HTTP request or a Blazor circuit);
/// every context the scoped factory creates reads it, so the query filter and the save stamp follow
/// the signed-in staff user. Jobs have no user and must say the merchant explicitly.
/// </summary>
public sealed class MerchantScope
{
    public const string MerchantIdClaim = "merchant_id";

    public Guid? MerchantId { get; private set; }
    public string? UserId { get; private set; }
    public string? UserName { get; private set; }
    /// <summary>Support console only: reads across merchants. Writes still need an explicit merchant.</summary>
    public bool AcrossMerchants { get; private set; }

    /// <summary>
    /// The acting user's name when they belong to no merchant (support staff); null for a merchant's staff or nobody.
    /// Support commands act only for such a user, whatever a page let through.
    /// </summary>
    public string? SupportUserName => MerchantId is null && !string.IsNullOrWhiteSpace(UserName) ? UserName : null;

    public void UseUser(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            MerchantId = null; UserId = null; UserName = null; AcrossMerchants = false;
            return;
        }
        UserId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        UserName = user.Identity.Name;
        MerchantId = Guid.TryParse(user.FindFirstValue(MerchantIdClaim), out var id) ? id : null;
        AcrossMerchants = false;
    }

    /// <summary>For background work acting for one merchant (jobs, outbox handlers).</summary>
    public void UseMerchant(Guid merchantId, string actor = "system")
    {
        MerchantId = merchantId;
        UserId = null;
        UserName = actor;
        AcrossMerchants = false;
    }

    /// <summary>For the support console: a support user reading every merchant's records.</summary>
    public void UseAcrossMerchants(string actor)
    {
        MerchantId = null;
        UserName = actor;
        AcrossMerchants = true;
    }
}
