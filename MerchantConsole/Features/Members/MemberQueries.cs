using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Members;

public sealed record MemberListQuery(string? Search, Guid? PlanId, Guid? TierId, int Page, int PageSize);

public sealed record MemberRow(Guid Id, string CardNumber, string Name, string Phone, string PlanName, string TierName, string TierColour,
    MembershipStatus Status, DateTimeOffset JoinedAt, DateTimeOffset? ExpiresAt);

public sealed record MemberListResult(IReadOnlyList<MemberRow> Rows, int Total);

public sealed record TierOption(Guid Id, string Name, string Colour, Guid? ManualChannelId);

/// <summary>A plan as the list's filter and the enrol dialog offer it; <see cref="CanEnrol"/> when staff may enrol into it now.</summary>
public sealed record PlanOption(Guid Id, string Name, PlanStatus Status, IReadOnlyList<TierOption> Tiers)
{
    public bool CanEnrol => Status == PlanStatus.Active && Tiers.Any(t => t.ManualChannelId is not null);
}

public sealed record CustomerFound(Guid Id, string Phone, string Name, DateOnly? Birthday, string? ExternalRef);

/// <summary>The member page's read model.</summary>
public sealed record MemberDetails(Membership Membership, Customer Customer, string PlanName, string TierName, string TierColour,
    JoinChannelType ChannelType, string? CardTemplateLabel, Guid? CardTemplateId);

/// <summary>
/// Reads behind the member list, the enrol dialog and the member page, each on its own context from the scoped factory,
/// so they only ever see the signed-in merchant's members.
/// </summary>
public sealed class MemberQueries(IDbContextFactory<MerchantDbContext> contexts)
{
    public const int MaxSearchLength = 100;

    /// <summary>
    /// Newest first. A search matches the name, or, when it is written like a number (digits and separators), the
    /// digits anywhere in the phone or card number, however the number was spaced.
    /// </summary>
    public async Task<MemberListResult> ListAsync(MemberListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows =
            from m in db.Memberships.AsNoTracking()
            join c in db.Customers.AsNoTracking() on m.CustomerId equals c.Id
            join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
            join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
            select new { m, c, PlanName = p.Name, TierName = t.Name, TierColour = t.Colour };

        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            search = TextLength.Clip(search, MaxSearchLength);
            var name = LikePattern.Containing(search);
            if (PhoneNumber.DigitsOf(search) is { } digits)
            {
                var number = LikePattern.Containing(digits);
                // A whole phone typed with its country code (+86 138…) is stored without it.
                var phone = PhoneNumber.TryNormalise(search, out var normalised) ? normalised : digits;
                rows = rows.Where(r => EF.Functions.Like(r.c.Phone, number, LikePattern.Escape)
                                       || r.c.Phone == phone
                                       || EF.Functions.Like(r.m.CardNumber, number, LikePattern.Escape)
                                       || EF.Functions.Like(r.c.Name, name, LikePattern.Escape));
            }
            else
                rows = rows.Where(r => EF.Functions.Like(r.c.Name, name, LikePattern.Escape));
        }
        if (query.PlanId is { } planId)
            rows = rows.Where(r => r.m.PlanId == planId);
        if (query.TierId is { } tierId)
            rows = rows.Where(r => r.m.TierId == tierId);

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows
            .OrderByDescending(r => r.m.JoinedAt).ThenBy(r => r.m.CardNumber)
            .Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new MemberListResult(
            page.Select(r => new MemberRow(r.m.Id, r.m.CardNumber, r.c.Name, r.c.Phone, r.PlanName, r.TierName, r.TierColour,
                r.m.Status, r.m.JoinedAt, r.m.ExpiresAt)).ToList(),
            total);
    }

    /// <summary>Plans that have gone live, with their live tiers and each tier's first enabled Manual channel.</summary>
    public async Task<IReadOnlyList<PlanOption>> PlansAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plans = await db.MembershipPlans.AsNoTracking().WithParts()
            .Where(p => p.Status == PlanStatus.Active || p.Status == PlanStatus.Suspended || p.Status == PlanStatus.Retired)
            .ToListAsync(cancellationToken);
        return plans
            .OrderBy(p => p.Status != PlanStatus.Active).ThenBy(p => p.Name, StringComparer.CurrentCulture)
            .Select(p => new PlanOption(p.Id, p.Name, p.Status, p.Tiers
                .Where(t => !p.IsPendingRevision(t))
                .Select(t => new TierOption(t.Id, t.Name, t.Colour, t.JoinChannels
                    .FirstOrDefault(c => c.Type == JoinChannelType.Manual && c.Enabled && !p.IsPendingRevision(c))?.Id))
                .ToList()))
            .ToList();
    }

    /// <summary>The merchant's customer with this phone, however it is typed; null when there is none or it is no phone.</summary>
    public async Task<CustomerFound?> FindCustomerAsync(string? phone, CancellationToken cancellationToken = default)
    {
        if (!PhoneNumber.TryNormalise(phone, out var normalised))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Customers.AsNoTracking().Where(c => c.Phone == normalised)
            .Select(c => new CustomerFound(c.Id, c.Phone, c.Name, c.Birthday, c.ExternalRef))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Null when there is no such member for this merchant (another merchant's id included).</summary>
    public async Task<MemberDetails?> DetailsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
            return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == membership.CustomerId, cancellationToken);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == membership.PlanId, cancellationToken);
        var tier = plan.Tiers.Single(t => t.Id == membership.TierId);
        var channel = tier.JoinChannels.Single(c => c.Id == membership.JoinChannelId);
        var template = await db.CardTemplates.AsNoTracking().Include(t => t.Versions)
            .Where(t => t.Versions.Any(v => v.Id == membership.CardTemplateVersionId))
            .SingleOrDefaultAsync(cancellationToken);
        var version = template?.Versions.Single(v => v.Id == membership.CardTemplateVersionId);
        return new MemberDetails(membership, customer, plan.Name, tier.Name, tier.Colour, channel.Type,
            template is null || version is null ? null : PlanMapping.TemplateLabel(template, version), template?.Id);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Memberships.CountAsync(cancellationToken);
    }
}
