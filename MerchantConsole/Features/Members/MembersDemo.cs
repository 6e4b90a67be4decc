using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Members;

/// <summary>
/// A few demo members per demo merchant, enrolled by hand through a Manual channel, so the member list has something to
/// find. They join the merchant's first Active plan with a Manual channel; a merchant without one gets a small demo
/// plan that has one (live at once: demo data is not published through an activation run). Runs after the card
/// template seed, whose published card the demo plan issues. Running it again changes nothing.
/// </summary>
public sealed class MembersDemo(ProviderContextOptions contexts, TimeProvider clock, ICardNumberGenerator cardNumbers) : IDemoMerchantSeed
{
    private static readonly (string Phone, string Name, string Birthday, string? ExternalRef, int TierRank)[] Aroma =
    [
        ("13800138001", "王小明", "1990-05-12", "POS-10001", 1),
        ("13800138002", "李雷", "1988-11-03", null, 1),
        ("13800138003", "韩梅梅", "1995-02-28", "POS-10003", 2),
    ];

    private static readonly (string Phone, string Name, string Birthday, string? ExternalRef, int TierRank)[] Orchard =
    [
        ("13900139001", "陈静", "1992-07-19", null, 1),
        ("13900139002", "赵强", "1985-01-30", "CRM-2002", 2),
    ];

    public async Task SeedAsync(Guid merchantId, string merchantName, CancellationToken cancellationToken)
    {
        var coffee = merchantName.Contains("Coffee", StringComparison.OrdinalIgnoreCase);
        var planId = await DemoPlanAsync(merchantId, coffee, cancellationToken);
        if (planId is null)
            return;

        await using var db = contexts.CreateForMerchant(merchantId, SystemActors.Demo);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == planId, cancellationToken);
        var enrolment = new MembershipEnrolment(new OneMerchant(contexts, merchantId), clock, cardNumbers);
        foreach (var (phone, name, birthday, externalRef, rank) in coffee ? Aroma : Orchard)
        {
            var tier = plan.Tiers.Where(t => !plan.IsPendingRevision(t)).OrderBy(t => t.Rank)
                .LastOrDefault(t => t.Rank <= rank && ManualChannel(plan, t) is not null);
            if (tier is null)
                continue;
            var result = await enrolment.EnrolAsync(new EnrolRequest(plan.Id, tier.Id, ManualChannel(plan, tier)!.Id,
                new CustomerDetails(phone, name, DateOnly.Parse(birthday, System.Globalization.CultureInfo.InvariantCulture), externalRef)),
                cancellationToken);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Demo member {phone} was refused: {result.Refusal?.English}");
        }
    }

    private static JoinChannel? ManualChannel(MembershipPlan plan, Tier tier) =>
        tier.JoinChannels.FirstOrDefault(c => c.Type == JoinChannelType.Manual && c.Enabled && !plan.IsPendingRevision(c));

    private async Task<Guid?> DemoPlanAsync(Guid merchantId, bool coffee, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateForMerchant(merchantId, SystemActors.Demo);
        var plans = await db.MembershipPlans.AsNoTracking().WithParts().Where(p => p.Status == PlanStatus.Active).ToListAsync(cancellationToken);
        if (plans.OrderBy(p => p.CreatedAt).FirstOrDefault(p => p.Tiers.Any(t => ManualChannel(p, t) is not null)) is { } existing)
            return existing.Id;

        var name = coffee ? "香醇会员计划" : "鲜果园会员计划";
        if (await db.MembershipPlans.AnyAsync(p => p.Name == name, cancellationToken))
            return null; // the demo plan was taken out of service or changed by hand: leave it as it is
        var card = (await db.CardTemplates.Include(t => t.Versions).ToListAsync(cancellationToken))
            .Select(t => t.LatestPublished).OfType<CardTemplateVersion>().FirstOrDefault();
        var merchant = await db.Merchants.AsNoTracking().SingleAsync(m => m.Id == merchantId, cancellationToken);
        if (card is null)
            return null;

        var now = clock.GetUtcNow();
        var plan = MembershipPlan.Create(merchantId, name,
            coffee ? "到店即可入会，消费积分，金卡会员一年内享受专属优惠。" : "新鲜水果会员价，金卡会员一年内每周享受特惠。", merchant.DefaultCurrency, now);
        plan.ChooseCardTemplateVersion(card.Id, now);
        var regular = plan.AddTier("普通会员", "#8D6E63", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        plan.AddChannel(regular.Id, JoinChannelType.Manual, null, null, null, now);
        plan.AddChannel(regular.Id, JoinChannelType.FreeSignup, null, null, null, now);
        var gold = plan.AddTier("金卡会员", "#C9A227", UpgradeRule.None, null, TierValidity.DaysFromJoin, 365, now);
        plan.AddChannel(gold.Id, JoinChannelType.Manual, null, null, null, now);
        // Customers buy the gold card on the storefront and the hosted card pages.
        var purchase = plan.AddChannel(gold.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddProduct(purchase.Id, coffee ? "金卡年卡" : "鲜果金卡年卡", new Money(coffee ? 19_900 : 9_900, merchant.DefaultCurrency), 1, DurationUnit.Years,
            null, null, RenewalRule.ManualRenewal, now);
        plan.BeginActivation(now);
        plan.MarkProductsPending(now);
        plan.MarkActive(now);
        plan.MarkProductsActive(now);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return plan.Id;
    }

    /// <summary>Enrolment reads through a factory; the seed has no signed-in user, so it says the merchant itself.</summary>
    private sealed class OneMerchant(ProviderContextOptions contexts, Guid merchantId) : IDbContextFactory<MerchantDbContext>
    {
        public MerchantDbContext CreateDbContext() => contexts.CreateForMerchant(merchantId, SystemActors.Demo);
    }
}
