using System.Text.Json;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans;

/// <summary>The wizard's steps in order; the first four match <see cref="WizardStep"/>.</summary>
public enum PlanWizardStep
{
    Basics = WizardStep.Basics,
    Tiers = WizardStep.Tiers,
    Channels = WizardStep.Channels,
    Products = WizardStep.Products,
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
