using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Members;

/// <summary>A staff change of a membership's tier: an override (pin, floor, or temporary until a date), or, with no kind, removing it.</summary>
public sealed record TierOverrideRequest(Guid MembershipId, TierOverrideKind? Kind, Guid? TierId, DateTimeOffset? Until, string? Reason);

public sealed record TierOverrideResult(bool Found, Refusal? Refusal = null)
{
    public bool Succeeded => Found && Refusal is null;
}

/// <summary>
/// Staff tier overrides (merchant admins; the page offers them to no one else). The membership's change (audited by the
/// save interceptor) and its <see cref="TierChange"/> history row are one save. See ARCHITECTURE.md, Members.
/// </summary>
public sealed class MemberTiers(IDbContextFactory<MerchantDbContext> contexts, MerchantScope scope, TimeProvider clock)
{
    public async Task<TierOverrideResult> OverrideAsync(TierOverrideRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == request.MembershipId, cancellationToken);
        if (membership is null)
            return new TierOverrideResult(false);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == membership.PlanId, cancellationToken);
        var ladder = TierLadder.Of(plan);
        var by = scope.UserName ?? SystemActors.Jobs;
        try
        {
            var change = request.Kind is { } kind
                ? membership.OverrideTier(ladder, kind, request.TierId ?? Guid.Empty, request.Until, request.Reason, by, clock.GetUtcNow())
                : membership.ClearOverride(ladder, request.Reason, by, clock.GetUtcNow());
            db.TierChanges.Add(change);
            await db.SaveChangesAsync(cancellationToken);
            return new TierOverrideResult(true);
        }
        catch (DomainException e)
        {
            return new TierOverrideResult(true, e.Refusal);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new TierOverrideResult(true, Refusal.Of("Membership.ChangedMeanwhile", "Someone changed this membership meanwhile; look again and retry."));
        }
    }
}
