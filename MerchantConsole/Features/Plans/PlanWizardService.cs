using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans;

public enum PlanSaveOutcome
{
    Saved,
    NotFound,
    /// <summary>Someone else saved the plan since this form was loaded.</summary>
    Conflict,
    /// <summary>A rule refused the change; <see cref="PlanSaveResult.Refusal"/> says which (the page words it through RefusalText).</summary>
    Invalid,
}

public sealed record PlanSaveResult(PlanSaveOutcome Outcome, Guid? PlanId = null, Guid? Stamp = null, Refusal? Refusal = null)
{
    public bool Succeeded => Outcome == PlanSaveOutcome.Saved;
}

/// <summary>
/// The plan wizard's saves: each step's forms are reconciled with the aggregate (removed parts removed, new ones
/// added, changed ones changed through the plan's own methods, so every rule still holds). Each call uses its own
/// context from the scoped factory, so it only ever sees the signed-in merchant's plans; each save presents the
/// stamp the form was loaded with, so a second staff member saving over someone else's change gets a conflict instead.
/// </summary>
public sealed class PlanWizardService(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock)
{
    public async Task<PlanSaveResult> CreateAsync(BasicsForm form, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Creating a plan needs a merchant in scope.");
        try
        {
            var now = clock.GetUtcNow();
            var plan = MembershipPlan.Create(merchantId, form.Name ?? "", form.Description, form.Currency ?? "", now);
            ApplyBasics(plan, form, now);
            db.Set<MembershipPlan>().Add(plan);
            await db.SaveChangesAsync(cancellationToken);
            return new PlanSaveResult(PlanSaveOutcome.Saved, plan.Id, plan.ConcurrencyStamp);
        }
        catch (DomainException refusal)
        {
            return Invalid(refusal);
        }
    }

    public Task<PlanSaveResult> SaveBasicsAsync(Guid id, Guid loadedStamp, BasicsForm form, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, (plan, now) => ApplyBasics(plan, form, now), cancellationToken);

    /// <summary>Saves the tier list as shown: removed tiers are removed, new ones added, and the list order becomes the ranks.</summary>
    public Task<PlanSaveResult> SaveTiersAsync(Guid id, Guid loadedStamp, IReadOnlyList<TierForm> tiers, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, (plan, now) => ApplyTiers(plan, tiers, now), cancellationToken);

    public Task<PlanSaveResult> SaveChannelsAsync(Guid id, Guid loadedStamp, IReadOnlyList<ChannelForm> channels, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, (plan, now) => ApplyChannels(plan, channels, now), cancellationToken);

    public Task<PlanSaveResult> SaveProductsAsync(Guid id, Guid loadedStamp, IReadOnlyList<ProductForm> products, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, (plan, now) => ApplyProducts(plan, products, now), cancellationToken);

    public Task<PlanSaveResult> DiscardPendingRevisionAsync(Guid id, Guid loadedStamp, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, (plan, now) => plan.DiscardPendingRevision(now), cancellationToken);

    private async Task<PlanSaveResult> ChangeAsync(Guid id, Guid loadedStamp, Action<MembershipPlan, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plan = await db.Set<MembershipPlan>().WithParts().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (plan is null)
            return new PlanSaveResult(PlanSaveOutcome.NotFound);
        if (plan.ConcurrencyStamp != loadedStamp)
            return new PlanSaveResult(PlanSaveOutcome.Conflict, id);

        try
        {
            change(plan, clock.GetUtcNow());
        }
        catch (DomainException refusal)
        {
            return Invalid(refusal) with { PlanId = id };
        }

        // The plan row carries the stamp, so it is updated (and checked) even when only a tier or product changed:
        // between the read above and this save someone else may have saved, and then this save must fail.
        var entry = db.Entry(plan);
        entry.Property(p => p.ConcurrencyStamp).OriginalValue = loadedStamp;
        entry.Property(p => p.ConcurrencyStamp).IsModified = true;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PlanSaveResult(PlanSaveOutcome.Conflict, id);
        }
        return new PlanSaveResult(PlanSaveOutcome.Saved, id, plan.ConcurrencyStamp);
    }

    private static void ApplyBasics(MembershipPlan plan, BasicsForm form, DateTimeOffset now)
    {
        var description = string.IsNullOrWhiteSpace(form.Description) ? null : form.Description.Trim();
        if (plan.Name != (form.Name ?? "").Trim() || plan.Description != description)
            plan.UpdateBasics(form.Name ?? "", form.Description, now);

        if (plan.Currency != form.Currency)
            plan.ChangeCurrency(form.Currency ?? "", now);

        var days = form.ValidityPolicy == ValidityPolicy.FixedDays ? form.ValidityDays : null;
        DateOnly? until = form.ValidityPolicy == ValidityPolicy.UntilDate && form.ValidUntil is { } date ? DateOnly.FromDateTime(date) : null;
        if (plan.ValidityPolicy != form.ValidityPolicy || plan.ValidityDays != days || plan.ValidUntil != until)
            plan.SetValidity(form.ValidityPolicy, days, until, now);

        if (plan.RefundPolicy != form.RefundPolicy)
            plan.SetRefundPolicy(form.RefundPolicy, now);

        if (form.CardTemplateVersionId is { } version && version != plan.CardTemplateVersionToActivate)
            plan.ChooseCardTemplateVersion(version, now);
    }

    private static void ApplyTiers(MembershipPlan plan, IReadOnlyList<TierForm> forms, DateTimeOffset now)
    {
        var kept = forms.Where(f => f.Id is not null).Select(f => f.Id!.Value).ToHashSet();
        foreach (var removed in plan.Tiers.Where(t => !kept.Contains(t.Id)).Select(t => t.Id).ToList())
            plan.RemoveTier(removed, now);

        var order = new List<Guid>();
        foreach (var form in forms)
        {
            var threshold = TierThreshold(form, plan.Currency);
            var days = form.Validity == TierValidity.DaysFromJoin ? form.ValidityDays : null;
            if (form.Id is not { } tierId)
            {
                order.Add(plan.AddTier(form.Name ?? "", form.Colour, form.UpgradeRule, threshold, form.Validity, days, now).Id);
                continue;
            }
            var tier = plan.Tiers.SingleOrDefault(t => t.Id == tierId) ?? throw new DomainException("Plan.TierGone", "A tier on this form no longer exists; reload the plan.");
            if (tier.Name != (form.Name ?? "").Trim() || !string.Equals(tier.Colour, form.Colour, StringComparison.OrdinalIgnoreCase))
                plan.UpdateTierLook(tierId, form.Name ?? "", form.Colour, now);
            if (tier.UpgradeRule != form.UpgradeRule || tier.Threshold != threshold || tier.Validity != form.Validity || tier.ValidityDays != days)
                plan.SetTierRules(tierId, form.UpgradeRule, threshold, form.Validity, days, now);
            order.Add(tierId);
        }

        for (var rank = 1; rank <= order.Count; rank++)
            if (plan.Tiers[rank - 1].Id != order[rank - 1])
                plan.MoveTier(order[rank - 1], rank, now);
    }

    private static long? TierThreshold(TierForm form, string currency) => form.UpgradeRule switch
    {
        UpgradeRule.CumulativeSpend => form.Threshold is { } spend ? ToMinorUnits(spend, currency) : null,
        UpgradeRule.Points => form.Threshold is { } points
            ? points == decimal.Truncate(points) ? (long)points : throw new DomainException("Plan.PointsWhole", "A points threshold is a whole number.")
            : null,
        _ => null,
    };

    private static void ApplyChannels(MembershipPlan plan, IReadOnlyList<ChannelForm> forms, DateTimeOffset now)
    {
        var kept = forms.Where(f => f.Id is not null).Select(f => f.Id!.Value).ToHashSet();
        foreach (var removed in plan.Channels.Where(c => !kept.Contains(c.Id)).Select(c => c.Id).ToList())
            plan.RemoveChannel(removed, now);

        foreach (var form in forms)
        {
            long? spend = form.Type == JoinChannelType.SpendThreshold && form.SpendThreshold is { } amount ? ToMinorUnits(amount, plan.Currency) : null;
            var invite = form.Type == JoinChannelType.InviteCode ? form.InviteCode : null;
            var store = form.Type == JoinChannelType.StoreQr ? form.StoreCode : null;
            if (form.Id is not { } channelId)
            {
                var added = plan.AddChannel(form.TierId, form.Type, spend, invite, store, now);
                if (!form.Enabled)
                    plan.SetChannelEnabled(added.Id, false, now);
                continue;
            }
            var channel = plan.Channels.SingleOrDefault(c => c.Id == channelId) ?? throw new DomainException("Plan.ChannelGone", "A channel on this form no longer exists; reload the plan.");
            if (channel.SpendThreshold != spend || channel.InviteCode != Normalise(invite)?.ToUpperInvariant() || channel.StoreCode != Normalise(store))
                plan.ConfigureChannel(channelId, spend, invite, store, now);
            if (channel.Enabled != form.Enabled)
                plan.SetChannelEnabled(channelId, form.Enabled, now);
        }
    }

    private static void ApplyProducts(MembershipPlan plan, IReadOnlyList<ProductForm> forms, DateTimeOffset now)
    {
        var kept = forms.Where(f => f.Id is not null).Select(f => f.Id!.Value).ToHashSet();
        foreach (var removed in plan.Products.Where(p => !kept.Contains(p.Id)).Select(p => p.Id).ToList())
            plan.RemoveProduct(removed, now);

        foreach (var form in forms)
        {
            var price = new Money(ToMinorUnits(form.Price, plan.Currency), plan.Currency);
            if (form.Id is not { } productId)
            {
                plan.AddProduct(form.ChannelId, form.Name ?? "", price, form.DurationAmount, form.DurationUnit, form.Stock, form.PerCustomerLimit,
                    form.RenewalRule, now);
                continue;
            }
            var product = plan.Products.SingleOrDefault(p => p.Id == productId) ?? throw new DomainException("Plan.ProductGone", "A product on this form no longer exists; reload the plan.");
            if (product.Name != (form.Name ?? "").Trim() || product.DurationAmount != form.DurationAmount
                || product.DurationUnit != form.DurationUnit || product.RenewalRule != form.RenewalRule)
                plan.UpdateProductTerms(productId, form.Name ?? "", form.DurationAmount, form.DurationUnit, form.RenewalRule, now);
            if ((product.PendingPrice ?? product.Price) != price)
                plan.ChangeProductPrice(productId, price, now);
            if (product.Stock != form.Stock || product.PerCustomerLimit != form.PerCustomerLimit)
                plan.SetProductLimits(productId, form.Stock, form.PerCustomerLimit, now);
        }
    }

    private static long ToMinorUnits(decimal amount, string currency)
    {
        try
        {
            return MoneyInput.ToMinorUnits(amount, currency);
        }
        catch (MoneyFormatException wrong)
        {
            throw new DomainException(wrong.Refusal);
        }
    }

    private static string? Normalise(string? code) => string.IsNullOrWhiteSpace(code) ? null : code.Trim();

    private static PlanSaveResult Invalid(DomainException refusal) => new(PlanSaveOutcome.Invalid, Refusal: refusal.Refusal);
}
