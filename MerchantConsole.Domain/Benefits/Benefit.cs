using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Domain.Benefits;

public enum BenefitKind
{
    /// <summary>Coupons issued by a coupon activity (券).</summary>
    Coupon,
    /// <summary>A percent off for members at checkout.</summary>
    Discount,
    PointsMultiplier,
    FreeShipping,
    /// <summary>Anything else, described to customers in a text.</summary>
    Custom,
}

/// <summary>Draft → Activating → Active → Superseded (a later version took over) or Retired.</summary>
public enum BenefitVersionStatus
{
    Draft,
    Activating,
    Active,
    Superseded,
    Retired,
}

/// <summary>
/// A member benefit (会员权益) on a plan, for all its tiers or some. What it gives is in its versions: changing an
/// Active benefit makes a new version effective from a chosen date; coupons keep the version they were issued under.
/// At most one version is a Draft or Activating at a time (ARCHITECTURE.md, "Benefits").
/// </summary>
public sealed class Benefit : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxNameLength = 60;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);
    public const int TierIdsMaxLength = 37 * 20;

    private readonly List<BenefitVersion> _versions = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid PlanId { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Comma-separated tier ids; empty: every tier of the plan.</summary>
    public string TierIdList { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    public IReadOnlyList<BenefitVersion> Versions => _versions.AsReadOnly();

    public IReadOnlyList<Guid> TierIds => TierIdList.Length == 0 ? [] : [.. TierIdList.Split(',').Select(Guid.Parse)];
    public bool AllTiers => TierIdList.Length == 0;
    public bool Covers(Guid tierId) => AllTiers || TierIds.Contains(tierId);

    public BenefitVersion? Draft => _versions.SingleOrDefault(v => v.Status == BenefitVersionStatus.Draft);
    public BenefitVersion? Activating => _versions.SingleOrDefault(v => v.Status == BenefitVersionStatus.Activating);
    public IEnumerable<BenefitVersion> ActiveVersions => _versions.Where(v => v.Status == BenefitVersionStatus.Active);
    /// <summary>The version being prepared (Draft or Activating), else the latest.</summary>
    public BenefitVersion Current => Draft ?? Activating ?? _versions.OrderByDescending(v => v.Number).First();
    public bool HasGoneLive => _versions.Any(v => v.Status is not (BenefitVersionStatus.Draft or BenefitVersionStatus.Activating));

    /// <summary>The benefit's status as lists show it: Activating while a version is; Active while one is; else the latest version's.</summary>
    public BenefitVersionStatus Status =>
        Activating is not null ? BenefitVersionStatus.Activating
        : ActiveVersions.Any() ? BenefitVersionStatus.Active
        : Current.Status;

    /// <summary>The Active version in force on <paramref name="localDate"/>: the latest one effective by then.</summary>
    public BenefitVersion? InForceOn(DateOnly localDate) =>
        ActiveVersions.Where(v => v.EffectiveFrom <= localDate).OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Number).FirstOrDefault();

    /// <summary>Active versions whose day has not come by <paramref name="localDate"/>: they take over when it does, earliest first.</summary>
    public IReadOnlyList<BenefitVersion> ScheduledAfter(DateOnly localDate) =>
        [.. ActiveVersions.Where(v => v.EffectiveFrom > localDate).OrderBy(v => v.EffectiveFrom).ThenBy(v => v.Number)];

    private Benefit() { }

    public static Benefit Create(MembershipPlan plan, string name, IReadOnlyCollection<Guid> tierIds, BenefitKind kind, DateOnly effectiveFrom, string by, DateTimeOffset now)
    {
        var benefit = new Benefit { Id = Guid.NewGuid(), MerchantId = plan.MerchantId, PlanId = plan.Id, CreatedAt = now };
        benefit.ChangeBasics(plan, name, tierIds, by, now);
        benefit._versions.Add(BenefitVersion.Create(benefit.Id, 1, kind, effectiveFrom, now));
        return benefit;
    }

    /// <summary>Name and tiers; the tiers only before the benefit has gone live (members hold coupons by them).</summary>
    public void ChangeBasics(MembershipPlan plan, string name, IReadOnlyCollection<Guid> tierIds, string by, DateTimeOffset now)
    {
        if (plan.Id != PlanId)
            throw new DomainException("Benefit.PlanMismatch", "This benefit belongs to another plan.");
        name = name?.Trim() ?? "";
        if (name.Length == 0)
            throw new DomainException("Benefit.NameRequired", "A benefit needs a name.");
        NameLimit.Enforce(name, "BenefitName", "A benefit name");
        EnsureNotActivating();
        var distinct = tierIds.Distinct().ToList();
        foreach (var tierId in distinct)
            if (plan.Tiers.All(t => t.Id != tierId))
                throw new DomainException("Benefit.TierNotInPlan", "A chosen tier does not belong to plan {Plan}.", ("Plan", plan.Name));
        var list = string.Join(',', distinct.OrderBy(t => t));
        if (HasGoneLive && list != TierIdList)
            throw new DomainException("Benefit.TiersFixed", "The tiers of a benefit that has gone live cannot change; add a new benefit instead.");
        if (distinct.Count > 20)
            throw new DomainException("Benefit.TooManyTiers", "A benefit names at most {Max} tiers.", ("Max", 20));
        Name = name;
        TierIdList = list;
        Touch(by, now);
    }

    /// <summary>The draft to edit: the existing one, or a new version copying the latest live one (a change of an Active benefit).</summary>
    public BenefitVersion EditableDraft(DateOnly effectiveFrom, string by, DateTimeOffset now)
    {
        EnsureNotActivating();
        if (Draft is { } draft)
            return draft;
        var latest = _versions.OrderByDescending(v => v.Number).First();
        if (latest.Status == BenefitVersionStatus.Retired)
            throw new DomainException("Benefit.Retired", "This benefit is retired.");
        var next = latest.NextDraft(_versions.Max(v => v.Number) + 1, effectiveFrom, now);
        _versions.Add(next);
        Touch(by, now);
        return next;
    }

    public void ChangeDraft(Action<BenefitVersion> change, string by, DateTimeOffset now)
    {
        var draft = Draft ?? throw new DomainException("Benefit.NoDraft", "This benefit has no draft to change; start a change first.");
        change(draft);
        Touch(by, now);
    }

    /// <summary>Draft → Activating, when its settings are complete; the caller starts the run in the same save.</summary>
    public BenefitVersion BeginActivation(string by, DateTimeOffset now)
    {
        EnsureNotActivating();
        var draft = Draft ?? throw new DomainException("Benefit.NoDraft", "This benefit has no draft to activate.");
        draft.EnsureComplete();
        if (_versions.Any(v => v.Status == BenefitVersionStatus.Active && v.EffectiveFrom > draft.EffectiveFrom))
            throw new DomainException("Benefit.EffectiveBeforeLive", "A new version takes effect on or after the live one ({Date}).",
                ("Date", ActiveVersions.Max(v => v.EffectiveFrom)));
        draft.MarkActivating();
        Touch(by, now);
        return draft;
    }

    public BenefitVersion Version(Guid versionId) =>
        _versions.SingleOrDefault(v => v.Id == versionId) ?? throw new DomainException("Benefit.VersionNotFound", "That benefit version does not exist.");

    /// <summary>
    /// Activating → Active (the activation's bind step). A version effective on <paramref name="localToday"/> or earlier
    /// takes over at once: the Active versions before it are Superseded. One effective later is scheduled: the version in
    /// force keeps issuing until that day starts, when <see cref="SupersedeDue"/> (a recurring job) ends it. Returns the
    /// versions superseded now, so the caller ends their coupon activities in the same save.
    /// </summary>
    public IReadOnlyList<BenefitVersion> Bind(Guid versionId, DateOnly localToday, DateTimeOffset now)
    {
        var version = Version(versionId);
        if (version.Status == BenefitVersionStatus.Active)
            return [];
        version.MarkActive(now);
        var superseded = SupersedeDue(localToday, now);
        Touch(SystemActorName, now);
        return superseded;
    }

    /// <summary>
    /// Active versions that will never be in force again from <paramref name="localToday"/> on: a later Active version
    /// (by effective date, then number, as <see cref="InForceOn"/> orders them) has taken effect, or takes effect on the
    /// same day. A version whose successor is still scheduled stays Active.
    /// </summary>
    public IReadOnlyList<BenefitVersion> DueToSupersede(DateOnly localToday)
    {
        var active = ActiveVersions.ToList();
        return [.. active.Where(old => active.Any(later => Follows(later, old)
                                                           && (later.EffectiveFrom <= localToday || later.EffectiveFrom == old.EffectiveFrom)))];
    }

    /// <summary>Supersedes what <see cref="DueToSupersede"/> finds (nothing twice); returns them, so the caller ends their coupon activities in the same save.</summary>
    public IReadOnlyList<BenefitVersion> SupersedeDue(DateOnly localToday, DateTimeOffset now)
    {
        var due = DueToSupersede(localToday);
        foreach (var old in due)
            old.End(BenefitVersionStatus.Superseded, now);
        if (due.Count > 0)
            Touch(SystemActorName, now);
        return due;
    }

    private static bool Follows(BenefitVersion later, BenefitVersion old) =>
        later.EffectiveFrom > old.EffectiveFrom || (later.EffectiveFrom == old.EffectiveFrom && later.Number > old.Number);

    /// <summary>Activating → Draft after a roll back; the version forgets the records the run made.</summary>
    public void RollBackActivation(Guid versionId, DateTimeOffset now)
    {
        var version = Version(versionId);
        if (version.Status != BenefitVersionStatus.Activating)
            return;
        version.BackToDraft();
        Touch(SystemActorName, now);
    }

    /// <summary>Every Active version ends; returns them so the caller ends their coupon activities in the same save.</summary>
    public IReadOnlyList<BenefitVersion> Retire(string by, DateTimeOffset now)
    {
        EnsureNotActivating();
        var active = ActiveVersions.ToList();
        if (active.Count == 0)
            throw new DomainException("Benefit.NotActive", "Only an Active benefit can be retired.");
        foreach (var version in active)
            version.End(BenefitVersionStatus.Retired, now);
        Touch(by, now);
        return active;
    }

    private const string SystemActorName = "System · benefits";

    private void EnsureNotActivating()
    {
        if (Activating is not null)
            throw new DomainException("Benefit.Activating", "This benefit is being activated; wait for the activation to finish.");
    }

    private void Touch(string by, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(by))
            throw new DomainException("Benefit.ActorRequired", "Every change to a benefit records who made it.");
        UpdatedAt = now;
        UpdatedBy = by;
    }
}

/// <summary>
/// One version of a benefit: what it gives (its kind and settings) from <see cref="EffectiveFrom"/>. A Coupon version
/// names the coupon template version and issuing rule; the activation records the activity and coupon activity.
/// </summary>
public sealed class BenefitVersion : IAggregatePart
{
    public const int MaxCustomTextLength = 200;
    public static readonly TextLimit CustomTextLimit = TextLimit.Of(MaxCustomTextLength);

    public Guid Id { get; private set; }
    public Guid BenefitId { get; private set; }
    public int Number { get; private set; }
    public BenefitKind Kind { get; private set; }
    public BenefitVersionStatus Status { get; private set; }
    /// <summary>The local date the version takes effect from (its activity starts then).</summary>
    public DateOnly EffectiveFrom { get; private set; }
    public int? DiscountPercent { get; private set; }
    /// <summary>Points factor, e.g. 2 or 1.5.</summary>
    public decimal? PointsFactor { get; private set; }
    public string? CustomText { get; private set; }

    /// <summary>The activity staff chose; null: the activation creates one named after the benefit.</summary>
    public Guid? ChosenActivityId { get; private set; }
    /// <summary>The activity the activation uses (the chosen one or the one it created).</summary>
    public Guid? ActivityId { get; private set; }
    public Guid? CouponTemplateVersionId { get; private set; }
    public Guid? CouponActivityId { get; private set; }
    public IssueTrigger? Trigger { get; private set; }
    public int? DayOfMonth { get; private set; }
    public int? Budget { get; private set; }

    public Guid? RunId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ActivatedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }

    public IssuingRule? Rule => Trigger is { } trigger ? new IssuingRule(trigger, DayOfMonth) : null;
    public bool IssuesCoupons => Kind == BenefitKind.Coupon;

    private BenefitVersion() { }

    internal static BenefitVersion Create(Guid benefitId, int number, BenefitKind kind, DateOnly effectiveFrom, DateTimeOffset now)
    {
        if (!Enum.IsDefined(kind))
            throw new DomainException("Benefit.KindUnknown", "Choose what the benefit gives.");
        return new BenefitVersion
        {
            Id = Guid.NewGuid(), BenefitId = benefitId, Number = number, Kind = kind, EffectiveFrom = effectiveFrom,
            Status = BenefitVersionStatus.Draft, CreatedAt = now,
        };
    }

    internal BenefitVersion NextDraft(int number, DateOnly effectiveFrom, DateTimeOffset now)
    {
        var next = Create(BenefitId, number, Kind, effectiveFrom, now);
        next.DiscountPercent = DiscountPercent;
        next.PointsFactor = PointsFactor;
        next.CustomText = CustomText;
        next.ChosenActivityId = null; // a new version gets its own activity, so the old one's coupons keep theirs
        next.CouponTemplateVersionId = CouponTemplateVersionId;
        next.Trigger = Trigger;
        next.DayOfMonth = DayOfMonth;
        next.Budget = Budget;
        return next;
    }

    public void ChangeKind(BenefitKind kind)
    {
        EnsureDraft();
        if (!Enum.IsDefined(kind))
            throw new DomainException("Benefit.KindUnknown", "Choose what the benefit gives.");
        Kind = kind;
    }

    public void ChangeEffectiveFrom(DateOnly date)
    {
        EnsureDraft();
        EffectiveFrom = date;
    }

    public void SetDiscount(int percent)
    {
        EnsureDraft();
        if (percent is < 1 or > 99)
            throw new DomainException("Benefit.PercentInvalid", "A member discount is 1 to 99 percent.");
        DiscountPercent = percent;
    }

    public void SetPointsFactor(decimal factor)
    {
        EnsureDraft();
        if (factor is <= 1m or > 10m || decimal.Round(factor, 1) != factor)
            throw new DomainException("Benefit.FactorInvalid", "A points multiplier is more than 1 and at most 10, in steps of 0.1.");
        PointsFactor = factor;
    }

    public void SetCustomText(string text)
    {
        EnsureDraft();
        text = text?.Trim() ?? "";
        if (text.Length == 0)
            throw new DomainException("Benefit.CustomTextRequired", "Describe the benefit for customers.");
        CustomTextLimit.Enforce(text, "BenefitText", "A benefit text");
        CustomText = text;
    }

    /// <summary>The coupon settings: an activity (null: the activation creates one), a template version, the issuing rule and a budget.</summary>
    public void SetCoupon(Guid? activityId, Guid templateVersionId, IssuingRule rule, int budget)
    {
        EnsureDraft();
        rule = (rule ?? throw new DomainException("CouponActivity.TriggerUnknown", "Choose when the coupons are issued.")).Validated();
        if (templateVersionId == Guid.Empty)
            throw new DomainException("Benefit.TemplateRequired", "Choose the coupon template version the benefit issues.");
        if (budget <= 0)
            throw new DomainException("CouponActivity.BudgetInvalid", "A budget is at least one coupon.");
        ChosenActivityId = activityId;
        CouponTemplateVersionId = templateVersionId;
        Trigger = rule.Trigger;
        DayOfMonth = rule.DayOfMonth;
        Budget = budget;
    }

    /// <summary>Whether the kind's settings are filled in; what is missing, as a refusal code.</summary>
    public Refusal? Missing() => Kind switch
    {
        BenefitKind.Discount when DiscountPercent is null => Refusal.Of("Benefit.PercentInvalid", "A member discount is 1 to 99 percent."),
        BenefitKind.PointsMultiplier when PointsFactor is null => Refusal.Of("Benefit.FactorInvalid", "A points multiplier is more than 1 and at most 10, in steps of 0.1."),
        BenefitKind.Custom when string.IsNullOrEmpty(CustomText) => Refusal.Of("Benefit.CustomTextRequired", "Describe the benefit for customers."),
        BenefitKind.Coupon when CouponTemplateVersionId is null || Trigger is null || Budget is null
            => Refusal.Of("Benefit.CouponIncomplete", "Choose the coupon template version, the issuing rule and the budget."),
        _ => null,
    };

    internal void EnsureComplete()
    {
        if (Missing() is { } missing)
            throw new DomainException(missing);
    }

    // The activation's records: each is set once per activation, so a repeated step finds it.
    public void RecordRun(Guid runId) => RunId = runId;

    public void RecordActivity(Guid activityId)
    {
        if (Status != BenefitVersionStatus.Activating)
            throw new DomainException("Benefit.NotActivating", "This benefit version is not being activated.");
        ActivityId = activityId;
    }

    public void RecordCouponActivity(Guid couponActivityId)
    {
        if (Status != BenefitVersionStatus.Activating)
            throw new DomainException("Benefit.NotActivating", "This benefit version is not being activated.");
        CouponActivityId = couponActivityId;
    }

    internal void MarkActivating() => Status = BenefitVersionStatus.Activating;

    internal void MarkActive(DateTimeOffset now)
    {
        if (Status != BenefitVersionStatus.Activating)
            throw new DomainException("Benefit.NotActivating", "This benefit version is not being activated.");
        if (ActivityId is null || (IssuesCoupons && CouponActivityId is null))
            throw new DomainException("Benefit.NotReadyToBind", "The activity of this benefit version is not recorded yet.");
        Status = BenefitVersionStatus.Active;
        ActivatedAt = now;
    }

    internal void BackToDraft()
    {
        Status = BenefitVersionStatus.Draft;
        ActivityId = null;
        CouponActivityId = null;
        RunId = null;
    }

    internal void End(BenefitVersionStatus status, DateTimeOffset now)
    {
        Status = status;
        EndedAt = now;
    }

    private void EnsureDraft()
    {
        if (Status != BenefitVersionStatus.Draft)
            throw new DomainException("Benefit.VersionNotDraft", "Only a draft version can change; version {Number} is {Status}.", ("Number", Number), ("Status", Status));
    }
}
