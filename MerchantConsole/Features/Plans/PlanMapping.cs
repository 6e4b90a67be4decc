using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans;

/// <summary>From the plan aggregate to what the pages show: the wizard's edit model, the list's rows, template labels.</summary>
public static class PlanMapping
{
    /// <summary>The wizard's edit model of <paramref name="plan"/>: amounts in major units, tiers by rank, each part marked live or pending.</summary>
    public static PlanEditModel ToEditModel(MembershipPlan plan)
    {
        var currency = plan.Currency;
        return new PlanEditModel
        {
            Id = plan.Id,
            Stamp = plan.ConcurrencyStamp,
            Status = plan.Status,
            HasGoneLive = plan.HasGoneLive,
            HasPendingRevision = plan.HasPendingRevision,
            LiveCardTemplateVersionId = plan.HasGoneLive ? plan.CardTemplateVersionId : null,
            ActivationInFlight = plan.ActivationInFlight,
            Basics = new BasicsForm
            {
                Name = plan.Name,
                Description = plan.Description,
                CardTemplateVersionId = plan.CardTemplateVersionToActivate,
                Currency = plan.Currency,
                ValidityPolicy = plan.ValidityPolicy,
                ValidityDays = plan.ValidityDays,
                ValidUntil = plan.ValidUntil?.ToDateTime(TimeOnly.MinValue),
                RefundPolicy = plan.RefundPolicy,
            },
            Tiers = [.. plan.Tiers.OrderBy(t => t.Rank).Select(t => new TierForm
            {
                Id = t.Id,
                Key = t.Id,
                Name = t.Name,
                Colour = t.Colour,
                UpgradeRule = t.UpgradeRule,
                Threshold = t.Threshold is { } threshold
                    ? t.UpgradeRule == UpgradeRule.CumulativeSpend ? MoneyInput.ToMajor(threshold, currency) : threshold
                    : null,
                Validity = t.Validity,
                ValidityDays = t.ValidityDays,
                Live = plan.HasGoneLive && !plan.IsPendingRevision(t),
                Pending = plan.IsPendingRevision(t),
            })],
            Channels = [.. plan.Tiers.OrderBy(t => t.Rank).SelectMany(t => t.JoinChannels.Select(c => new ChannelForm
            {
                Id = c.Id,
                Key = c.Id,
                TierId = t.Id,
                Type = c.Type,
                Enabled = c.Enabled,
                SpendThreshold = c.SpendThreshold is { } spend ? MoneyInput.ToMajor(spend, currency) : null,
                InviteCode = c.InviteCode,
                StoreCode = c.StoreCode,
                Live = plan.HasGoneLive && !plan.IsPendingRevision(c),
                Pending = plan.IsPendingRevision(c),
            }))],
            Products = [.. plan.Tiers.OrderBy(t => t.Rank).SelectMany(t => t.JoinChannels).Where(c => c.Product is not null).Select(c => c.Product!).Select(p => new ProductForm
            {
                ChannelId = plan.Channels.Single(c => c.Product == p).Id,
                Id = p.Id,
                Name = p.Name,
                Price = (p.PendingPrice ?? p.Price).Major,
                DurationAmount = p.DurationAmount,
                DurationUnit = p.DurationUnit,
                Stock = p.Stock,
                PerCustomerLimit = p.PerCustomerLimit,
                RenewalRule = p.RenewalRule,
                Live = plan.HasGoneLive && !plan.IsPendingRevision(p),
                Pending = plan.IsPendingRevision(p) || p.PendingPriceMinorUnits is not null,
                Status = p.Status,
                LivePrice = p.PendingPriceMinorUnits is not null ? p.Price.Major : null,
            })],
        };
    }

    public static PlanRow ToRow(MembershipPlan plan) =>
        new(plan.Id, plan.Name, plan.Status, plan.Products.Count(), plan.HasPendingRevision, plan.UpdatedAt);

    public static string TemplateLabel(CardTemplate template, CardTemplateVersion version) => $"{template.Name} · v{version.Number}";
}
