using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Feed;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Storefront;

public sealed record StorefrontProduct(Guid Id, string Name, long PriceMinorUnits, string Currency, int DurationAmount, string DurationUnit, int? Stock);
public sealed record StorefrontChannel(Guid Id, string Type, bool NeedsInviteCode, string? StoreCode, StorefrontProduct? Product);
public sealed record StorefrontTier(Guid Id, int Rank, string Name, string Colour, IReadOnlyList<StorefrontChannel> Channels);
public sealed record StorefrontBenefit(Guid Id, string Name, string Kind, int Version, DateOnly EffectiveFrom, IReadOnlyList<Guid> TierIds,
    int? DiscountPercent, decimal? PointsFactor, string? Text);
public sealed record StorefrontPlan(Guid Id, string Name, string? Description, string Currency, string ValidityPolicy, int? ValidityDays,
    DateOnly? ValidUntil, IReadOnlyList<StorefrontTier> Tiers, IReadOnlyList<StorefrontBenefit> Benefits, IReadOnlyList<FeedItem> Feed);

/// <summary>The card face a membership was issued under: the design of that template version, whatever the plan uses now.</summary>
public sealed record StorefrontCardFace(Guid TemplateVersionId, int VersionNumber, DisplayDesign Design);
public sealed record StorefrontMembership(Guid Id, Guid PlanId, string PlanName, Guid TierId, string TierName, string TierColour,
    string CardNumber, string Status, DateTimeOffset JoinedAt, DateTimeOffset? ExpiresAt, StorefrontCardFace? CardFace);
public sealed record StorefrontCoupon(Guid Id, Guid MembershipId, string Code, string Name, string Kind, string Status, string Currency,
    DateTimeOffset IssuedAt, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, DateTimeOffset? RedeemedAt);

/// <summary>What the storefront reads, in the merchant scope the request set (see <see cref="StorefrontApi"/>).</summary>
public sealed class StorefrontQueries(IDbContextFactory<MerchantDbContext> contexts, ActivityFeedQueries feed, TimeProvider clock)
{
    /// <summary>The merchant's Active plans with their live tiers, enabled channels, active products, benefits in force and feed.</summary>
    public async Task<IReadOnlyList<StorefrontPlan>> PlansAsync(Guid? planId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.MembershipPlans.AsNoTracking().WithParts().Where(p => p.Status == PlanStatus.Active);
        if (planId is { } id)
            query = query.Where(p => p.Id == id);
        var plans = await query.OrderBy(p => p.CreatedAt).ToListAsync(ct);
        if (plans.Count == 0)
            return [];
        var merchant = await db.Merchants.AsNoTracking().SingleAsync(m => m.Id == plans[0].MerchantId, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(merchant.TimeZoneId);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        var planIds = plans.Select(p => p.Id).ToList();
        var benefits = await db.Benefits.AsNoTracking().Include(b => b.Versions).Where(b => planIds.Contains(b.PlanId)).ToListAsync(ct);

        var result = new List<StorefrontPlan>(plans.Count);
        foreach (var plan in plans)
        {
            var tiers = plan.Tiers.Where(t => !plan.IsPendingRevision(t)).OrderBy(t => t.Rank).Select(t => new StorefrontTier(t.Id, t.Rank, t.Name, t.Colour,
                [.. t.JoinChannels.Where(c => c.Enabled && !plan.IsPendingRevision(c) && c.Type != JoinChannelType.Manual).Select(c => new StorefrontChannel(
                    c.Id, c.Type.ToString(), c.Type == JoinChannelType.InviteCode, c.StoreCode,
                    c.Product is { Status: ProductStatus.Active } p && !plan.IsPendingRevision(p)
                        ? new StorefrontProduct(p.Id, p.Name, p.PriceMinorUnits, p.Currency, p.DurationAmount, p.DurationUnit.ToString(), p.Stock)
                        : null))])).ToList();
            var inForce = benefits.Where(b => b.PlanId == plan.Id)
                .Select(b => (Benefit: b, Version: b.InForceOn(today)))
                .Where(x => x.Version is not null)
                .Select(x => new StorefrontBenefit(x.Benefit.Id, x.Benefit.Name, x.Version!.Kind.ToString(), x.Version.Number, x.Version.EffectiveFrom,
                    x.Benefit.TierIds, x.Version.DiscountPercent, x.Version.PointsFactor, x.Version.CustomText))
                .OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
            result.Add(new StorefrontPlan(plan.Id, plan.Name, plan.Description, plan.Currency, plan.ValidityPolicy.ToString(), plan.ValidityDays,
                plan.ValidUntil, tiers, inForce, await feed.ForPlanAsync(plan.Id, ct: ct)));
        }
        return result;
    }

    /// <summary>The customer's memberships, newest first, each with the card face it was issued under.</summary>
    public async Task<IReadOnlyList<StorefrontMembership>> MembershipsAsync(Guid customerId, Guid? membershipId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Memberships.AsNoTracking().Where(m => m.CustomerId == customerId);
        if (membershipId is { } id)
            query = query.Where(m => m.Id == id);
        var memberships = await query.OrderByDescending(m => m.JoinedAt).ToListAsync(ct);
        if (memberships.Count == 0)
            return [];
        var planIds = memberships.Select(m => m.PlanId).Distinct().ToList();
        var plans = await db.MembershipPlans.AsNoTracking().Include(p => p.Tiers).Where(p => planIds.Contains(p.Id)).ToListAsync(ct);
        var versionIds = memberships.Select(m => m.CardTemplateVersionId).Distinct().ToList();
        var faces = await db.CardTemplates.AsNoTracking().SelectMany(t => t.Versions)
            .Where(v => versionIds.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, v => new StorefrontCardFace(v.Id, v.Number, v.Design), ct);
        return [.. memberships.Select(m =>
        {
            var plan = plans.Single(p => p.Id == m.PlanId);
            var tier = plan.Tiers.Single(t => t.Id == m.TierId);
            return new StorefrontMembership(m.Id, m.PlanId, plan.Name, m.TierId, tier.Name, tier.Colour, m.CardNumber, m.Status.ToString(),
                m.JoinedAt, m.ExpiresAt, faces.GetValueOrDefault(m.CardTemplateVersionId));
        })];
    }

    /// <summary>The coupons issued to the customer's memberships, newest first.</summary>
    public async Task<IReadOnlyList<StorefrontCoupon>> CouponsAsync(Guid customerId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var membershipIds = await db.Memberships.AsNoTracking().Where(m => m.CustomerId == customerId).Select(m => m.Id).ToListAsync(ct);
        var coupons = await db.Coupons.AsNoTracking().Where(c => membershipIds.Contains(c.MembershipId))
            .OrderByDescending(c => c.IssuedAt).Take(500).ToListAsync(ct);
        var versionIds = coupons.Select(c => c.CouponTemplateVersionId).Distinct().ToList();
        var templates = await db.CouponTemplates.AsNoTracking()
            .SelectMany(t => t.Versions, (t, v) => new { v.Id, t.Name, v.Kind })
            .Where(v => versionIds.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, ct);
        return [.. coupons.Select(c => new StorefrontCoupon(c.Id, c.MembershipId, c.Code,
            templates.GetValueOrDefault(c.CouponTemplateVersionId)?.Name ?? "", templates.GetValueOrDefault(c.CouponTemplateVersionId)?.Kind.ToString() ?? "",
            c.Status.ToString(), c.Currency, c.IssuedAt, c.ValidFrom, c.ValidUntil, c.RedeemedAt))];
    }

    /// <summary>The tier a channel of an Active plan belongs to, or null when the plan or channel is not found.</summary>
    public async Task<(MembershipPlan Plan, Tier Tier, JoinChannel Channel)?> ChannelAsync(Guid planId, Guid channelId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == planId && p.Status == PlanStatus.Active, ct);
        if (plan is null)
            return null;
        foreach (var tier in plan.Tiers)
            if (tier.JoinChannels.FirstOrDefault(c => c.Id == channelId) is { } channel)
                return (plan, tier, channel);
        return null;
    }
}
