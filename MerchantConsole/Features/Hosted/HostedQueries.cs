using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Storefront;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MerchantConsole.Features.Hosted;

public sealed record HostedMerchant(Guid Id, string Code, string Name, string TimeZoneId, string Currency);

/// <summary>A card design with the addresses anyone may fetch its images from (images of published designs only).</summary>
public sealed record HostedFace(DisplayDesign Design, string? LogoUrl, string? BackgroundUrl);

public sealed record HostedGuide(StorefrontPlan Plan, HostedFace? Face);

/// <summary>Names an order list shows beside ids.</summary>
public sealed record HostedNames(IReadOnlyDictionary<Guid, string> Plans, IReadOnlyDictionary<Guid, string> Tiers, IReadOnlyDictionary<Guid, string> Products);

/// <summary>
/// The few reads the hosted pages need beyond the storefront's own queries (<see cref="StorefrontQueries"/>), in the
/// merchant scope the request set. Plans, memberships and orders themselves come from the storefront and order services.
/// </summary>
public sealed class HostedQueries(IDbContextFactory<MerchantDbContext> contexts, StorefrontQueries storefront, IMemoryCache cache, MerchantScope scope)
{
    /// <summary>
    /// How long a guide page's plan is reused. The guide is the page a QR code in a shop sends everyone to, and it is the
    /// same for every customer; a change reaches it within this time. Confirming and paying always read afresh.
    /// </summary>
    public static readonly TimeSpan GuideCacheTime = TimeSpan.FromSeconds(5);

    public async Task<HostedMerchant?> MerchantAsync(string code, CancellationToken ct)
    {
        code = code.Trim().ToLowerInvariant();
        if (code.Length is 0 or > 64)
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Merchants.AsNoTracking().Where(m => m.Code == code)
            .Select(m => new HostedMerchant(m.Id, m.Code, m.Name, m.TimeZoneId, m.DefaultCurrency)).SingleOrDefaultAsync(ct);
    }

    /// <summary>An Active plan as the storefront lists it, with the card face of the template version it issues cards under.</summary>
    public async Task<HostedGuide?> GuideAsync(Guid planId, CancellationToken ct)
    {
        var key = ("hosted-guide", scope.MerchantId, planId);
        if (cache.TryGetValue(key, out HostedGuide? cached))
            return cached;
        var guide = await ReadGuideAsync(planId, ct);
        // Only plans that exist: ids anyone can make up must not fill the cache.
        if (guide is not null)
            cache.Set(key, guide, GuideCacheTime);
        return guide;
    }

    private async Task<HostedGuide?> ReadGuideAsync(Guid planId, CancellationToken ct)
    {
        if (await storefront.PlansAsync(planId, ct) is not [var plan])
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versionId = await db.MembershipPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.CardTemplateVersionId).SingleAsync(ct);
        return new HostedGuide(plan, versionId is { } id ? await FaceAsync(db, id, ct) : null);
    }

    /// <summary>The design of a template version with public image addresses.</summary>
    public async Task<HostedFace?> FaceAsync(DisplayDesign design, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await WithImagesAsync(db, design, ct);
    }

    private static async Task<HostedFace?> FaceAsync(MerchantDbContext db, Guid versionId, CancellationToken ct)
    {
        var design = await db.CardTemplates.AsNoTracking().SelectMany(t => t.Versions).Where(v => v.Id == versionId)
            .Select(v => v.Design).SingleOrDefaultAsync(ct);
        return design is null ? null : await WithImagesAsync(db, design, ct);
    }

    private static async Task<HostedFace> WithImagesAsync(MerchantDbContext db, DisplayDesign design, CancellationToken ct)
    {
        var ids = new[] { design.LogoImageId, design.BackgroundImageId }.OfType<Guid>().Distinct().ToList();
        var tokens = ids.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.UploadedImages.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.PublicToken, ct);
        string? Url(Guid? id) => id is { } key && tokens.TryGetValue(key, out var token) ? CardTemplatesSetup.PublicImageUrl(token) : null;
        return new HostedFace(design, Url(design.LogoImageId), Url(design.BackgroundImageId));
    }

    /// <summary>The store codes of a plan's StoreQr channels, or null when the merchant has no such plan (any status).</summary>
    public async Task<IReadOnlyList<string>?> StoreCodesAsync(Guid planId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == planId, ct);
        return plan is null
            ? null
            : [.. plan.Tiers.SelectMany(t => t.JoinChannels).Where(c => c.Type == JoinChannelType.StoreQr && c.StoreCode is not null)
                .Select(c => c.StoreCode!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Plan, tier and product names for the orders of a list (whatever their status today).</summary>
    public async Task<HostedNames> NamesAsync(IEnumerable<Guid> planIds, CancellationToken ct)
    {
        var ids = planIds.Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plans = await db.MembershipPlans.AsNoTracking().WithParts().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        var channels = plans.SelectMany(p => p.Tiers).SelectMany(t => t.JoinChannels).ToList();
        return new HostedNames(
            plans.ToDictionary(p => p.Id, p => p.Name),
            plans.SelectMany(p => p.Tiers).ToDictionary(t => t.Id, t => t.Name),
            channels.Where(c => c.Product is not null).Select(c => c.Product!).DistinctBy(p => p.Id).ToDictionary(p => p.Id, p => p.Name));
    }

    public async Task<string?> CustomerNameAsync(Guid customerId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Name).SingleOrDefaultAsync(ct);
    }
}
