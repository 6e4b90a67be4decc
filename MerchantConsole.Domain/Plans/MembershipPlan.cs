using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>
/// A membership plan (会员计划) and everything under it: tiers → join channels → products.
/// </summary>
/// <remarks>
/// Revisions: a Draft plan is edited in place. Once the plan has gone live, existing members and paid
/// orders must not see anything move, so changes become a pending revision instead: new tiers, channels
/// and products carry <see cref="IPlanPart.Revision"/> = <see cref="Revision"/> + 1, a live product's new
/// price waits in <see cref="MembershipProduct.PendingPrice"/>, a new card template version waits in
/// <see cref="PendingCardTemplateVersionId"/>. Live parts keep their terms; to change a channel's settings
/// or a product's terms, add a new one and disable the old channel. The revision goes through the same
/// activation run as a first activation and goes live all at once in <see cref="MarkProductsActive"/>,
/// so it can be rolled back until then without anyone having seen it.
/// </remarks>
public sealed class MembershipPlan : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 2000;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);
    /// <summary>Two units per character keeps the column within SQL Server's 4000 for a sized nvarchar.</summary>
    public static readonly TextLimit DescriptionLimit = new(MaxDescriptionLength, 2 * MaxDescriptionLength);

    private readonly List<Tier> _tiers = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public Guid? CardTemplateVersionId { get; private set; }
    /// <summary>A template version chosen for a live plan; it replaces the current one when the revision goes live.</summary>
    public Guid? PendingCardTemplateVersionId { get; private set; }
    public string Currency { get; private set; } = "";
    public ValidityPolicy ValidityPolicy { get; private set; }
    public int? ValidityDays { get; private set; }
    public DateOnly? ValidUntil { get; private set; }
    public RefundPolicy RefundPolicy { get; private set; }
    public PlanStatus Status { get; private set; }
    /// <summary>The revision that is live (or, for a never-activated plan, being drafted).</summary>
    public int Revision { get; private set; }
    /// <summary>True while an activation run takes a pending revision of this (Active) plan live.</summary>
    public bool RevisionActivating { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }
    /// <summary>Ordered by rank.</summary>
    public IReadOnlyList<Tier> Tiers => _tiers;

    public IEnumerable<JoinChannel> Channels => _tiers.SelectMany(t => t.JoinChannels);
    public IEnumerable<MembershipProduct> Products => Channels.Select(c => c.Product).OfType<MembershipProduct>();

    /// <summary>The template version an activation has to check and freeze.</summary>
    public Guid? CardTemplateVersionToActivate => PendingCardTemplateVersionId ?? CardTemplateVersionId;

    public bool HasGoneLive => Status is PlanStatus.Active or PlanStatus.Suspended or PlanStatus.Retired;

    public bool HasPendingRevision =>
        HasGoneLive && (PendingCardTemplateVersionId is not null
                        || _tiers.Any(IsPendingRevision)
                        || Channels.Any(IsPendingRevision)
                        || Products.Any(p => IsPendingRevision(p) || p.PendingPriceMinorUnits is not null));

    /// <summary>An activation, revision activation or resume has started and not finished.</summary>
    public bool ActivationInFlight =>
        Status == PlanStatus.Activating || RevisionActivating || Products.Any(p => p.Status == ProductStatus.Pending);

    private MembershipPlan() { }

    public static MembershipPlan Create(Guid merchantId, string name, string? description, string currency, DateTimeOffset now)
    {
        if (merchantId == Guid.Empty)
            throw new DomainException("Plan.MerchantRequired", "A plan belongs to a merchant.");
        var plan = new MembershipPlan
        {
            Id = Guid.NewGuid(),
            MerchantId = merchantId,
            Status = PlanStatus.Draft,
            Revision = 1,
            ValidityPolicy = ValidityPolicy.Permanent,
            CreatedAt = now,
        };
        plan.SetBasics(name, description);
        plan.SetCurrency(currency);
        plan.UpdatedAt = now;
        return plan;
    }

    /// <summary>True for a part added to a live plan that is not live yet.</summary>
    public bool IsPendingRevision(IPlanPart part) => HasGoneLive && part.Revision > Revision;

    /// <summary>Whether a new order may buy the product right now.</summary>
    public bool IsSellable(Guid productId)
    {
        var (channel, product) = FindProduct(productId);
        return Status == PlanStatus.Active && product.Status == ProductStatus.Active && channel.Enabled && product.Stock is not 0;
    }

    /// <summary>Name and description are presentation only, so they change immediately even on a live plan.</summary>
    public void UpdateBasics(string name, string? description, DateTimeOffset now)
    {
        EnsureNotRetired();
        SetBasics(name, description);
        Touch(now);
    }

    /// <summary>Prices and spend thresholds are in the plan currency, so it is fixed once the plan has gone live.</summary>
    public void ChangeCurrency(string currency, DateTimeOffset now)
    {
        EnsureDraft("Plan.CurrencyOnlyInDraft", "A plan's currency can change only while it is a Draft; this plan is {Status}.");
        SetCurrency(currency);
        Touch(now);
    }

    /// <summary>Members' expiry dates are computed from this policy, so it is fixed once the plan has gone live.</summary>
    public void SetValidity(ValidityPolicy policy, int? days, DateOnly? until, DateTimeOffset now)
    {
        EnsureDraft("Plan.ValidityOnlyInDraft", "A plan's validity policy can change only while it is a Draft; this plan is {Status}.");
        switch (policy)
        {
            case ValidityPolicy.Permanent when days is not null || until is not null:
                throw new DomainException("Plan.PermanentTakesNoEnd", "A permanent plan takes no number of days or end date.");
            case ValidityPolicy.FixedDays when days is not > 0 || until is not null:
                throw new DomainException("Plan.FixedDaysInvalid", "A fixed-days plan needs a positive number of days and no end date.");
            case ValidityPolicy.UntilDate when until is null || days is not null:
                throw new DomainException("Plan.UntilDateInvalid", "An until-date plan needs an end date and no number of days.");
            case ValidityPolicy.UntilDate when until < DateOnly.FromDateTime(now.UtcDateTime):
                throw new DomainException("Plan.UntilDateInPast", "An until-date plan cannot end in the past ({Until}).", ("Until", until));
        }
        ValidityPolicy = policy;
        ValidityDays = days;
        ValidUntil = until;
        Touch(now);
    }

    /// <summary>Applies to refunds from now on, so it may change at any status.</summary>
    public void SetRefundPolicy(RefundPolicy policy, DateTimeOffset now)
    {
        if (!Enum.IsDefined(policy))
            throw new DomainException("Plan.RefundPolicyUnknown", "Choose a refund policy.");
        RefundPolicy = policy;
        Touch(now);
    }

    /// <summary>Cards record the template version they were issued with, so a live plan takes a new one as a revision.</summary>
    public void ChooseCardTemplateVersion(Guid versionId, DateTimeOffset now)
    {
        if (versionId == Guid.Empty)
            throw new DomainException("Plan.TemplateVersionRequired", "Choose a card template version.");
        RevisionForChange();
        if (Status == PlanStatus.Draft)
            CardTemplateVersionId = versionId;
        else
            PendingCardTemplateVersionId = versionId == CardTemplateVersionId ? null : versionId;
        Touch(now);
    }

    public Tier AddTier(string name, string colour, UpgradeRule upgradeRule, long? threshold, TierValidity validity,
        int? validityDays, DateTimeOffset now)
    {
        var tier = Tier.Create(_tiers.Count + 1, RevisionForChange(), name, colour);
        tier.SetRules(upgradeRule, threshold, validity, validityDays);
        _tiers.Add(tier);
        Touch(now);
        return tier;
    }

    /// <summary>Name and colour are presentation only, so they change immediately even on a live tier.</summary>
    public void UpdateTierLook(Guid tierId, string name, string colour, DateTimeOffset now)
    {
        EnsureNotRetired();
        FindTier(tierId).SetLook(name, colour);
        Touch(now);
    }

    public void SetTierRules(Guid tierId, UpgradeRule upgradeRule, long? threshold, TierValidity validity, int? validityDays,
        DateTimeOffset now)
    {
        var tier = FindTier(tierId);
        EnsureChangeable(tier, "Tier.LiveRulesLocked", "A live tier keeps the rules its members joined under; add a new tier in a revision instead.");
        tier.SetRules(upgradeRule, threshold, validity, validityDays);
        Touch(now);
    }

    public void RemoveTier(Guid tierId, DateTimeOffset now)
    {
        var tier = FindTier(tierId);
        EnsureChangeable(tier, "Tier.LiveCannotRemove", "A live tier has members and cannot be removed.");
        _tiers.Remove(tier);
        Renumber();
        Touch(now);
    }

    /// <summary>Moves a tier to <paramref name="newRank"/>, shifting the others; ranks stay 1..n.</summary>
    public void MoveTier(Guid tierId, int newRank, DateTimeOffset now)
    {
        var tier = FindTier(tierId);
        EnsureChangeable(tier, "Tier.LiveRankLocked", "Live tiers keep their ranks because members' upgrade paths rely on them.");
        var firstMovableRank = (HasGoneLive ? _tiers.Count(t => !IsPendingRevision(t)) : 0) + 1;
        if (newRank < firstMovableRank || newRank > _tiers.Count)
            throw firstMovableRank == 1
                ? new DomainException("Plan.RankOutOfRange", "Rank must be between 1 and {Max}.", ("Max", _tiers.Count))
                : new DomainException("Plan.RankBeforeLiveTiers", "New tiers rank after the live ones: between {Min} and {Max}.", ("Min", firstMovableRank), ("Max", _tiers.Count));
        _tiers.Remove(tier);
        _tiers.Insert(newRank - 1, tier);
        Renumber();
        Touch(now);
    }

    public JoinChannel AddChannel(Guid tierId, JoinChannelType type, long? spendThreshold, string? inviteCode, string? storeCode,
        DateTimeOffset now)
    {
        var tier = FindTier(tierId);
        var channel = tier.AddChannel(JoinChannel.Create(type, RevisionForChange(), spendThreshold, inviteCode, storeCode));
        Touch(now);
        return channel;
    }

    public void ConfigureChannel(Guid channelId, long? spendThreshold, string? inviteCode, string? storeCode, DateTimeOffset now)
    {
        var (_, channel) = FindChannel(channelId);
        EnsureChangeable(channel, "Channel.LiveSettingsLocked", "A live channel keeps its settings; add a new channel in a revision and disable this one.");
        channel.Configure(spendThreshold, inviteCode, storeCode);
        Touch(now);
    }

    /// <summary>
    /// Takes effect immediately even on a live plan: it is how staff stop a channel at once. Every channel,
    /// enabled or not, passed the dry run, so enabling one cannot bring in unchecked settings.
    /// </summary>
    public void SetChannelEnabled(Guid channelId, bool enabled, DateTimeOffset now)
    {
        EnsureNotRetired();
        FindChannel(channelId).Channel.SetEnabled(enabled);
        Touch(now);
    }

    public void RemoveChannel(Guid channelId, DateTimeOffset now)
    {
        var (tier, channel) = FindChannel(channelId);
        EnsureChangeable(channel, "Channel.LiveCannotRemove", "A live channel cannot be removed; disable it instead.");
        tier.RemoveChannel(channel);
        Touch(now);
    }

    public MembershipProduct AddProduct(Guid channelId, string name, Money price, int durationAmount, DurationUnit durationUnit,
        int? stock, int? perCustomerLimit, RenewalRule renewalRule, DateTimeOffset now)
    {
        var (_, channel) = FindChannel(channelId);
        var product = MembershipProduct.Create(RevisionForChange(), name, price, durationAmount, durationUnit, stock,
            perCustomerLimit, renewalRule);
        channel.AttachProduct(product);
        Touch(now);
        return product;
    }

    public void UpdateProductTerms(Guid productId, string name, int durationAmount, DurationUnit durationUnit,
        RenewalRule renewalRule, DateTimeOffset now)
    {
        var (_, product) = FindProduct(productId);
        EnsureChangeable(product, "Product.LiveTermsLocked", "A live product keeps its terms; add a new purchase channel in a revision and disable this one.");
        product.SetTerms(name, durationAmount, durationUnit, renewalRule);
        Touch(now);
    }

    /// <summary>
    /// On a live product of a live plan the new price waits in <see cref="MembershipProduct.PendingPrice"/> until the
    /// revision is live, so orders already placed and orders placed meanwhile keep the price they saw.
    /// </summary>
    public void ChangeProductPrice(Guid productId, Money price, DateTimeOffset now)
    {
        var (_, product) = FindProduct(productId);
        RevisionForChange();
        if (Status == PlanStatus.Active && !IsPendingRevision(product))
            product.SetPendingPrice(price);
        else
            product.SetPrice(price);
        Touch(now);
    }

    /// <summary>Stock and limits are operational and apply to the next order, so they change immediately.</summary>
    public void SetProductLimits(Guid productId, int? stock, int? perCustomerLimit, DateTimeOffset now)
    {
        EnsureNotRetired();
        FindProduct(productId).Product.SetLimits(stock, perCustomerLimit);
        Touch(now);
    }

    public void RemoveProduct(Guid productId, DateTimeOffset now)
    {
        var (channel, product) = FindProduct(productId);
        EnsureChangeable(product, "Product.LiveCannotRemove", "A live product has been sold and cannot be removed; disable its channel instead.");
        channel.DetachProduct();
        Touch(now);
    }

    /// <summary>Drops every change waiting in the pending revision; the live plan is untouched.</summary>
    public void DiscardPendingRevision(DateTimeOffset now)
    {
        if (!HasPendingRevision)
            throw new DomainException("Plan.NoPendingRevision", "There is no pending revision to discard.");
        EnsureNotRetired();
        EnsureNotInFlight();
        foreach (var tier in _tiers)
        {
            foreach (var channel in tier.JoinChannels.Where(IsPendingRevision).ToList())
                tier.RemoveChannel(channel);
            foreach (var channel in tier.JoinChannels)
            {
                if (channel.Product is { } product && IsPendingRevision(product))
                    channel.DetachProduct();
                channel.Product?.ClearPendingPrice();
            }
        }
        _tiers.RemoveAll(IsPendingRevision);
        Renumber();
        PendingCardTemplateVersionId = null;
        Touch(now);
    }

    /// <summary>Starts a first activation (Draft → Activating) or the activation of a pending revision (plan stays Active).</summary>
    public void BeginActivation(DateTimeOffset now)
    {
        switch (Status)
        {
            case PlanStatus.Draft:
                Status = PlanStatus.Activating;
                break;
            case PlanStatus.Active when ActivationInFlight:
                throw new DomainException("Plan.ActivationInProgress", "An activation of this plan is already in progress.");
            case PlanStatus.Active when !HasPendingRevision:
                throw new DomainException("Plan.NothingToActivate", "The plan is already active and has no changes waiting to be activated.");
            case PlanStatus.Active:
                RevisionActivating = true;
                break;
            default:
                throw new DomainException("Plan.CannotActivate", "A {Status} plan cannot be activated.", ("Status", Status));
        }
        Touch(now);
    }

    /// <summary>Step "products Pending". Touches only Draft products, so running it again is harmless.</summary>
    public void MarkProductsPending(DateTimeOffset now)
    {
        if (Status != PlanStatus.Activating && !RevisionActivating)
            throw new DomainException("Plan.ReadyProductsOnlyDuringActivation", "Products are readied for sale only during an activation.");
        foreach (var product in Products.Where(p => p.Status == ProductStatus.Draft))
            product.MarkPending();
        Touch(now);
    }

    /// <summary>
    /// Step "plan Active". Steps run at least once, so an Active plan accepts it again without change;
    /// for a revision the plan is already Active and nothing changes until <see cref="MarkProductsActive"/>.
    /// </summary>
    public void MarkActive(DateTimeOffset now)
    {
        switch (Status)
        {
            case PlanStatus.Activating:
                Status = PlanStatus.Active;
                Touch(now);
                break;
            case PlanStatus.Active:
                break;
            default:
                throw new DomainException("Plan.CannotBecomeActive", "A {Status} plan cannot become Active; start an activation first.", ("Status", Status));
        }
    }

    /// <summary>
    /// Step "products Active": Pending products go on sale, and a revision being activated goes live
    /// (its parts, pending prices and template version) at the same moment.
    /// </summary>
    public void MarkProductsActive(DateTimeOffset now)
    {
        if (Status != PlanStatus.Active)
            throw new DomainException("Plan.ProductsOnSaleOnlyWhenActive", "A product goes on sale only once its plan is Active; this plan is {Status}.", ("Status", Status));
        foreach (var product in Products.Where(p => p.Status == ProductStatus.Pending))
            product.MarkActive();
        if (RevisionActivating)
        {
            foreach (var product in Products)
                product.ApplyPendingPrice();
            CardTemplateVersionId = CardTemplateVersionToActivate;
            PendingCardTemplateVersionId = null;
            Revision++;
            RevisionActivating = false;
        }
        Touch(now);
    }

    /// <summary>
    /// Undoes an activation that has not gone live: a first activation returns to Draft, a revision returns to
    /// pending on the still-Active plan. A Draft plan accepts it again without change, so undo can be retried.
    /// </summary>
    public void RollBackToDraft(DateTimeOffset now)
    {
        if (Status == PlanStatus.Draft)
            return;
        if (Status != PlanStatus.Activating && !RevisionActivating)
            throw new DomainException("Plan.RollbackOnlyDuringActivation", "Only an activation in progress can be rolled back; this plan is {Status}.", ("Status", Status));
        foreach (var product in Products.Where(p => p.Status == ProductStatus.Pending))
            product.ReturnToDraft();
        if (Status == PlanStatus.Activating)
            Status = PlanStatus.Draft;
        RevisionActivating = false;
        Touch(now);
    }

    /// <summary>Takes products off sale first, so no moment exists with an Active product under a suspended plan.</summary>
    public void Suspend(DateTimeOffset now)
    {
        if (Status != PlanStatus.Active)
            throw new DomainException("Plan.SuspendOnlyActive", "Only an Active plan can be suspended; this plan is {Status}.", ("Status", Status));
        EnsureNotInFlight();
        TakeProductsOffSale();
        Status = PlanStatus.Suspended;
        Touch(now);
    }

    /// <summary>
    /// Suspended → Active. Products come back as Pending; they go on sale through <see cref="MarkProductsActive"/>
    /// exactly as after an activation, because a product follows its plan and never the other way round.
    /// </summary>
    public void Resume(DateTimeOffset now)
    {
        if (Status != PlanStatus.Suspended)
            throw new DomainException("Plan.ResumeOnlySuspended", "Only a Suspended plan can be resumed; this plan is {Status}.", ("Status", Status));
        Status = PlanStatus.Active;
        foreach (var product in Products.Where(p => p.Status == ProductStatus.Inactive))
            product.MarkPending();
        Touch(now);
    }

    /// <summary>Final. Existing members keep their cards; nothing is sold or joined any more.</summary>
    public void Retire(DateTimeOffset now)
    {
        if (Status is not (PlanStatus.Active or PlanStatus.Suspended))
            throw new DomainException("Plan.RetireOnlyActiveOrSuspended", "Only an Active or Suspended plan can be retired; this plan is {Status}.", ("Status", Status));
        EnsureNotInFlight();
        TakeProductsOffSale();
        Status = PlanStatus.Retired;
        Touch(now);
    }

    private void SetBasics(string name, string? description)
    {
        name = name.Trim();
        if (name.Length == 0)
            throw new DomainException("Plan.NameInvalid", "A plan name is required and at most {Max} characters.", ("Max", MaxNameLength));
        NameLimit.Enforce(name, "PlanName", "A plan name");
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        DescriptionLimit.Enforce(description, "PlanDescription", "A plan description");
        Name = name;
        Description = description;
    }

    private void SetCurrency(string currency) => Currency = new Money(0, currency).Currency;

    private void TakeProductsOffSale()
    {
        foreach (var product in Products.Where(p => p.Status == ProductStatus.Active))
            product.MarkInactive();
    }

    /// <summary>The revision a structural change belongs to; refuses when the plan cannot take one now.</summary>
    private int RevisionForChange()
    {
        EnsureNotRetired();
        EnsureNotInFlight();
        return Status switch
        {
            PlanStatus.Draft => Revision,
            PlanStatus.Active => Revision + 1,
            _ => throw new DomainException("Plan.CannotChange", "A {Status} plan cannot be changed; resume it first.", ("Status", Status)),
        };
    }

    private void EnsureChangeable(IPlanPart part, string code, string refusalWhenLive)
    {
        var revision = RevisionForChange();
        if (part.Revision < revision)
            throw new DomainException(code, refusalWhenLive);
    }

    private void EnsureDraft(string code, string englishText)
    {
        if (Status != PlanStatus.Draft)
            throw new DomainException(code, englishText, ("Status", Status));
    }

    private void EnsureNotRetired()
    {
        if (Status == PlanStatus.Retired)
            throw new DomainException("Plan.Retired", "A retired plan cannot be changed.");
    }

    private void EnsureNotInFlight()
    {
        if (ActivationInFlight)
            throw new DomainException("Plan.ActivationInFlight", "An activation of this plan is in progress; wait for it to finish or roll it back.");
    }

    private void Renumber()
    {
        for (var i = 0; i < _tiers.Count; i++)
            _tiers[i].SetRank(i + 1);
    }

    private void Touch(DateTimeOffset now) => UpdatedAt = now;

    private Tier FindTier(Guid tierId) =>
        _tiers.FirstOrDefault(t => t.Id == tierId) ?? throw new DomainException("Plan.TierNotFound", "That tier is not part of this plan.");

    private (Tier Tier, JoinChannel Channel) FindChannel(Guid channelId)
    {
        foreach (var tier in _tiers)
            if (tier.JoinChannels.FirstOrDefault(c => c.Id == channelId) is { } channel)
                return (tier, channel);
        throw new DomainException("Plan.ChannelNotFound", "That join channel is not part of this plan.");
    }

    private (JoinChannel Channel, MembershipProduct Product) FindProduct(Guid productId)
    {
        foreach (var channel in Channels)
            if (channel.Product is { } product && product.Id == productId)
                return (channel, product);
        throw new DomainException("Plan.ProductNotFound", "That product is not part of this plan.");
    }
}
