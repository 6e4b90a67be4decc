using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>Looks up what the dry run needs beyond the plan itself.</summary>
public static class ActivationDryRunContext
{
    // Every lookup names the plan's merchant explicitly, so it stays right in the support console's across-merchant scope.
    public static async Task<DryRunContext> ForAsync(MerchantDbContext db, MembershipPlan plan, CancellationToken ct)
    {
        var published = plan.CardTemplateVersionToActivate is { } versionId
                        && await IsPublishedAsync(db, plan.MerchantId, versionId, ct);
        var codes = await db.MembershipPlans
            .Where(p => p.MerchantId == plan.MerchantId && p.Id != plan.Id && p.Status != PlanStatus.Retired)
            .SelectMany(p => p.Tiers)
            .SelectMany(t => t.JoinChannels)
            .Where(c => c.InviteCode != null || c.StoreCode != null)
            .Select(c => new { c.InviteCode, c.StoreCode })
            .ToListAsync(ct);
        return new DryRunContext(
            published,
            [.. codes.Where(c => c.InviteCode is not null).Select(c => c.InviteCode!)],
            [.. codes.Where(c => c.StoreCode is not null).Select(c => c.StoreCode!)]);
    }

    public static Task<bool> IsPublishedAsync(MerchantDbContext db, Guid merchantId, Guid versionId, CancellationToken ct) =>
        db.CardTemplates
            .Where(t => t.MerchantId == merchantId)
            .SelectMany(t => t.Versions)
            .AnyAsync(v => v.Id == versionId && v.Status == CardTemplateVersionStatus.Published, ct);
}
