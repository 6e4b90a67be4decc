using System.Text.Json;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans;

/// <summary>The wizard's steps in order (the value is the stepper's index); <see cref="DryRunFixes"/> maps problems to them.</summary>
public enum PlanWizardStep
{
    Basics,
    Tiers,
    Channels,
    Products,
    Review,
}

public sealed class BasicsForm
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public Guid? CardTemplateVersionId { get; set; }
    public string Currency { get; set; } = "CNY";
    public ValidityPolicy ValidityPolicy { get; set; }
    public int? ValidityDays { get; set; }
    public DateTime? ValidUntil { get; set; }
    /// <summary>What a refund of a bought card takes back; changeable at any time, it applies to refunds from then on.</summary>
    public RefundPolicy RefundPolicy { get; set; }
}

public sealed class TierForm
{
    public Guid? Id { get; set; }
    /// <summary>Stable key for the UI, also for tiers not saved yet.</summary>
    public Guid Key { get; set; } = Guid.NewGuid();
    public string Name { get; set; } = "";
    public string Colour { get; set; } = "#8B5A2B";
    public UpgradeRule UpgradeRule { get; set; }
    /// <summary>Major units of the plan currency for cumulative spend, a whole number for points.</summary>
    public decimal? Threshold { get; set; }
    public TierValidity Validity { get; set; }
    public int? ValidityDays { get; set; }
    /// <summary>Live on an activated plan: only name and colour can change.</summary>
    public bool Live { get; set; }
    /// <summary>Added to an activated plan and waiting for the revision to go live.</summary>
    public bool Pending { get; set; }
}

/// <summary>Colours offered to new tiers in turn, each readable under white text.</summary>
public static class TierColours
{
    public static readonly IReadOnlyList<string> Palette =
        ["#8B5A2B", "#607D8B", "#B8860B", "#6A1B9A", "#00796B", "#C62828", "#1565C0", "#4E342E"];

    /// <summary>The first palette colour no tier uses yet; once all are taken, they repeat in order.</summary>
    public static string Next(IEnumerable<string?> used)
    {
        var taken = used.OfType<string>().ToList();
        return Palette.FirstOrDefault(c => !taken.Contains(c, StringComparer.OrdinalIgnoreCase)) ?? Palette[taken.Count % Palette.Count];
    }
}

public sealed class ChannelForm
{
    public Guid? Id { get; set; }
    public Guid Key { get; set; } = Guid.NewGuid();
    public Guid TierId { get; set; }
    public JoinChannelType Type { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Major units of the plan currency.</summary>
    public decimal? SpendThreshold { get; set; }
    public string? InviteCode { get; set; }
    public string? StoreCode { get; set; }
    public bool Live { get; set; }
    public bool Pending { get; set; }
}

public sealed class ProductForm
{
    public Guid ChannelId { get; set; }
    public Guid? Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Major units of the plan currency; for a live product, the price new orders will pay.</summary>
    public decimal Price { get; set; }
    public int DurationAmount { get; set; } = 1;
    public DurationUnit DurationUnit { get; set; } = DurationUnit.Years;
    public int? Stock { get; set; }
    public int? PerCustomerLimit { get; set; }
    public RenewalRule RenewalRule { get; set; }
    public bool Live { get; set; }
    public bool Pending { get; set; }
    public ProductStatus? Status { get; set; }
    /// <summary>The price orders pay now, when a different price waits in the pending revision.</summary>
    public decimal? LivePrice { get; set; }
}

/// <summary>A plan loaded for the wizard, with the stamp every save must present.</summary>
public sealed class PlanEditModel
{
    public Guid Id { get; init; }
    public Guid Stamp { get; set; }
    public PlanStatus Status { get; init; }
    public bool HasGoneLive { get; init; }
    public bool HasPendingRevision { get; init; }
    /// <summary>The card template version customers get today; null until the plan has gone live.</summary>
    public Guid? LiveCardTemplateVersionId { get; init; }
    public bool ActivationInFlight { get; init; }
    public BasicsForm Basics { get; init; } = new();
    public List<TierForm> Tiers { get; init; } = [];
    public List<ChannelForm> Channels { get; init; } = [];
    public List<ProductForm> Products { get; init; } = [];

    /// <summary>Tiers, channels and products can be added (to the draft, or to a revision of a live plan).</summary>
    public bool CanChangeStructure => Status is PlanStatus.Draft or PlanStatus.Active && !ActivationInFlight;

    /// <summary>Currency and validity are fixed once the plan has gone live.</summary>
    public bool IsDraft => Status == PlanStatus.Draft;

    public bool CanActivate => !ActivationInFlight && (Status == PlanStatus.Draft || Status == PlanStatus.Active && HasPendingRevision);

    /// <summary>A comparable picture of one step's form, to tell whether it has unsaved changes.</summary>
    public string Snapshot(PlanWizardStep step) => step switch
    {
        PlanWizardStep.Basics => JsonSerializer.Serialize(Basics),
        PlanWizardStep.Tiers => JsonSerializer.Serialize(Tiers),
        PlanWizardStep.Channels => JsonSerializer.Serialize(Channels),
        PlanWizardStep.Products => JsonSerializer.Serialize(Products),
        _ => "",
    };
}

public enum GoLiveChangeKind
{
    CardTemplate,
    TierAdded,
    ChannelAdded,
    ProductAdded,
    PriceChanged,
}

/// <summary>One line of the review's summary: a tier, channel or product that goes live, or a price that changes.</summary>
public sealed record GoLiveChange(GoLiveChangeKind Kind, string TierName, JoinChannelType? ChannelType = null, string? ProductName = null,
    Money? OldPrice = null, Money? NewPrice = null, Guid? OldTemplateVersionId = null, Guid? NewTemplateVersionId = null);

/// <summary>
/// What activating goes live with: for a draft, every tier, channel and product; for a revision of a live plan, only
/// what it adds and the prices it changes (old → new). Read from the saved plan as the wizard loaded it.
/// </summary>
public sealed record GoLiveSummary(bool IsRevision, IReadOnlyList<GoLiveChange> Changes)
{
    public static GoLiveSummary From(PlanEditModel model)
    {
        var currency = model.Basics.Currency;
        var revision = model.HasGoneLive;
        var tierNames = model.Tiers.Where(t => t.Id is not null).ToDictionary(t => t.Id!.Value, t => t.Name);
        var channels = model.Channels.Where(c => c.Id is not null).ToDictionary(c => c.Id!.Value);
        var changes = new List<GoLiveChange>();

        var card = model.Basics.CardTemplateVersionId;
        if (card is not null && (!revision || card != model.LiveCardTemplateVersionId))
            changes.Add(new GoLiveChange(GoLiveChangeKind.CardTemplate, "",
                OldTemplateVersionId: revision ? model.LiveCardTemplateVersionId : null, NewTemplateVersionId: card));
        foreach (var tier in model.Tiers.Where(t => t.Id is not null && (!revision || t.Pending)))
            changes.Add(new GoLiveChange(GoLiveChangeKind.TierAdded, tier.Name));
        foreach (var channel in model.Channels.Where(c => c.Id is not null && (!revision || c.Pending)))
            changes.Add(new GoLiveChange(GoLiveChangeKind.ChannelAdded, tierNames.GetValueOrDefault(channel.TierId, ""), channel.Type));
        foreach (var product in model.Products.Where(p => p.Id is not null))
        {
            var tierName = channels.TryGetValue(product.ChannelId, out var channel) ? tierNames.GetValueOrDefault(channel.TierId, "") : "";
            var price = Price(product.Price, currency);
            if (!revision || !product.Live)
                changes.Add(new GoLiveChange(GoLiveChangeKind.ProductAdded, tierName, JoinChannelType.Purchase, product.Name, NewPrice: price));
            else if (product.LivePrice is { } live && live != product.Price)
                changes.Add(new GoLiveChange(GoLiveChangeKind.PriceChanged, tierName, JoinChannelType.Purchase, product.Name, Price(live, currency), price));
        }
        return new GoLiveSummary(revision, changes);
    }

    private static Money? Price(decimal amount, string currency) =>
        MoneyInput.Check(amount, currency) is null ? MoneyInput.ToMoney(amount, currency) : null;
}
