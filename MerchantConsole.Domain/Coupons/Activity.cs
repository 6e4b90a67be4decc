using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>When a coupon activity issues; <see cref="DayOfMonth"/> only for <see cref="IssueTrigger.MonthlyOnDay"/> (29–31 fall on a shorter month's last day).</summary>
public sealed record IssuingRule(IssueTrigger Trigger, int? DayOfMonth = null)
{
    public static IssuingRule OnJoin { get; } = new(IssueTrigger.OnJoin);
    public static IssuingRule OnPurchase { get; } = new(IssueTrigger.OnPurchase);
    public static IssuingRule OnBirthday { get; } = new(IssueTrigger.OnBirthday);
    public static IssuingRule ManualGrant { get; } = new(IssueTrigger.ManualGrant);
    public static IssuingRule MonthlyOn(int day) => new(IssueTrigger.MonthlyOnDay, day);

    public IssuingRule Validated()
    {
        if (!Enum.IsDefined(Trigger))
            throw new DomainException("CouponActivity.TriggerUnknown", "Choose when the coupons are issued.");
        if (Trigger == IssueTrigger.MonthlyOnDay && DayOfMonth is not (>= 1 and <= 31))
            throw new DomainException("CouponActivity.DayOfMonthInvalid", "A monthly issue falls on day 1 to 31 of the month.");
        if (Trigger != IssueTrigger.MonthlyOnDay && DayOfMonth is not null)
            throw new DomainException("CouponActivity.DayOfMonthNotTaken", "Only a monthly issue takes a day of the month.");
        return this;
    }

    /// <summary>The date a monthly rule issues on in <paramref name="year"/>-<paramref name="month"/>.</summary>
    public DateOnly IssueDateIn(int year, int month) =>
        new(year, month, Math.Min(DayOfMonth ?? 1, DateTime.DaysInMonth(year, month)));
}

/// <summary>
/// A marketing activity (活动): a named period in which its coupon activities issue coupons.
/// Draft → Effective → Ended or Cancelled; a draft may be cancelled too. Its coupon activities follow it.
/// </summary>
public sealed class Activity : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxNameLength = 60;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);

    private readonly List<CouponActivity> _couponActivities = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset StartsAt { get; private set; }
    /// <summary>Null: runs until ended by hand (a standing member benefit).</summary>
    public DateTimeOffset? EndsAt { get; private set; }
    public ActivityStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public DateTimeOffset? EffectiveAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    public IReadOnlyList<CouponActivity> CouponActivities => _couponActivities.AsReadOnly();

    private Activity() { }

    public static Activity Create(Guid merchantId, string name, DateTimeOffset startsAt, DateTimeOffset? endsAt, string by, DateTimeOffset now)
    {
        if (merchantId == Guid.Empty)
            throw new DomainException("Activity.MerchantRequired", "An activity belongs to a merchant.");
        var activity = new Activity { Id = Guid.NewGuid(), MerchantId = merchantId, Status = ActivityStatus.Draft, CreatedAt = now };
        activity.Rename(name, by, now);
        activity.Reschedule(startsAt, endsAt, by, now);
        return activity;
    }

    public void Rename(string name, string by, DateTimeOffset now)
    {
        name = name?.Trim() ?? "";
        if (name.Length == 0)
            throw new DomainException("Activity.NameRequired", "An activity needs a name.");
        NameLimit.Enforce(name, "ActivityName", "An activity name");
        Name = name;
        Touch(by, now);
    }

    public void Reschedule(DateTimeOffset startsAt, DateTimeOffset? endsAt, string by, DateTimeOffset now)
    {
        EnsureOpen();
        if (endsAt is { } end && end <= startsAt)
            throw new DomainException("Activity.PeriodReversed", "An activity ends after it starts.");
        if (Status == ActivityStatus.Effective && endsAt is { } newEnd && newEnd <= now)
            throw new DomainException("Activity.EndInPast", "An effective activity cannot be moved to end in the past; end it instead.");
        StartsAt = startsAt.ToUniversalTime();
        EndsAt = endsAt?.ToUniversalTime();
        Touch(by, now);
    }

    /// <summary>Whether coupons may be issued at <paramref name="at"/>: effective and inside the period.</summary>
    public bool IsRunningAt(DateTimeOffset at) => Status == ActivityStatus.Effective && at >= StartsAt && (EndsAt is null || at < EndsAt);

    /// <summary>
    /// Adds a coupon activity issuing <paramref name="version"/> (a published version) by <paramref name="rule"/>, at most
    /// <paramref name="budget"/> coupons. It starts Pending; it issues once it and this activity are effective.
    /// </summary>
    public CouponActivity AddCouponActivity(CouponTemplateVersion version, IssuingRule rule, int budget, string by, DateTimeOffset now)
    {
        EnsureOpen();
        if (version.Status != CouponTemplateVersionStatus.Published)
            throw new DomainException("CouponActivity.VersionNotPublished", "Coupons are issued from a published template version; publish version {Version} first.", ("Version", version.Number));
        var couponActivity = CouponActivity.Create(Id, version, rule, budget, now);
        _couponActivities.Add(couponActivity);
        Touch(by, now);
        return couponActivity;
    }

    public CouponActivity CouponActivityById(Guid couponActivityId) =>
        _couponActivities.SingleOrDefault(c => c.Id == couponActivityId)
        ?? throw new DomainException("CouponActivity.NotFound", "That coupon activity does not belong to this activity.");

    /// <summary>
    /// Draft → Effective; every pending coupon activity becomes effective with it, unless
    /// <paramref name="withCouponActivities"/> is false (a benefit's coupon activity waits for its benefit to be Active,
    /// then <see cref="MakeCouponActivityEffective"/>).
    /// </summary>
    public void MakeEffective(string by, DateTimeOffset now, bool withCouponActivities = true)
    {
        if (Status == ActivityStatus.Effective)
            return;
        if (Status != ActivityStatus.Draft)
            throw new DomainException("Activity.NotDraft", "Only a draft activity can become effective; this one is {Status}.", ("Status", Status));
        if (EndsAt is { } end && end <= now)
            throw new DomainException("Activity.PeriodOver", "This activity's period is over; change its end first.");
        Status = ActivityStatus.Effective;
        EffectiveAt = now;
        if (withCouponActivities)
            foreach (var couponActivity in _couponActivities)
                couponActivity.MakeEffective();
        Touch(by, now);
    }

    /// <summary>Makes one coupon activity added to an effective activity effective (a draft activity's follow it when it is made effective).</summary>
    public void MakeCouponActivityEffective(Guid couponActivityId, string by, DateTimeOffset now)
    {
        if (Status != ActivityStatus.Effective)
            throw new DomainException("CouponActivity.ActivityNotEffective", "A coupon activity becomes effective with its activity.");
        CouponActivityById(couponActivityId).MakeEffective();
        Touch(by, now);
    }

    public void ChangeCouponActivityBudget(Guid couponActivityId, int budget, string by, DateTimeOffset now)
    {
        CouponActivityById(couponActivityId).ChangeBudget(budget);
        Touch(by, now);
    }

    public void EndCouponActivity(Guid couponActivityId, string by, DateTimeOffset now)
    {
        CouponActivityById(couponActivityId).End();
        Touch(by, now);
    }

    public void End(string by, DateTimeOffset now)
    {
        if (Status != ActivityStatus.Effective)
            throw new DomainException("Activity.NotEffective", "Only an effective activity can be ended; this one is {Status}.", ("Status", Status));
        Close(ActivityStatus.Ended, by, now);
    }

    public void Cancel(string by, DateTimeOffset now)
    {
        if (Status is ActivityStatus.Ended or ActivityStatus.Cancelled)
            throw new DomainException("Activity.Closed", "This activity is already {Status}.", ("Status", Status));
        Close(ActivityStatus.Cancelled, by, now);
    }

    private void Close(ActivityStatus status, string by, DateTimeOffset now)
    {
        Status = status;
        ClosedAt = now;
        foreach (var couponActivity in _couponActivities)
            couponActivity.End();
        Touch(by, now);
    }

    private void EnsureOpen()
    {
        if (Status is ActivityStatus.Ended or ActivityStatus.Cancelled)
            throw new DomainException("Activity.Closed", "This activity is already {Status}.", ("Status", Status));
    }

    private void Touch(string by, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(by))
            throw new DomainException("Activity.ActorRequired", "Every change to an activity records who made it.");
        UpdatedAt = now;
        UpdatedBy = by;
    }
}

/// <summary>
/// A coupon activity (券活动): one template version issued by one rule within a budget. Pending → Effective → Ended.
/// The counters are kept by the coupon services with conditional updates, never by counting coupons.
/// </summary>
public sealed class CouponActivity : IAggregatePart
{
    public Guid Id { get; private set; }
    public Guid ActivityId { get; private set; }
    public Guid CouponTemplateId { get; private set; }
    public Guid CouponTemplateVersionId { get; private set; }
    public IssueTrigger Trigger { get; private set; }
    public int? DayOfMonth { get; private set; }
    /// <summary>The most coupons this coupon activity issues.</summary>
    public int Budget { get; private set; }
    public CouponActivityStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public int Issued { get; private set; }
    public int Redeemed { get; private set; }
    public int Expired { get; private set; }
    public int Revoked { get; private set; }

    public IssuingRule Rule => new(Trigger, DayOfMonth);
    public int BudgetLeft => Math.Max(0, Budget - Issued);

    private CouponActivity() { }

    internal static CouponActivity Create(Guid activityId, CouponTemplateVersion version, IssuingRule rule, int budget, DateTimeOffset now)
    {
        rule = (rule ?? throw new DomainException("CouponActivity.TriggerUnknown", "Choose when the coupons are issued.")).Validated();
        var couponActivity = new CouponActivity
        {
            Id = Guid.NewGuid(),
            ActivityId = activityId,
            CouponTemplateId = version.CouponTemplateId,
            CouponTemplateVersionId = version.Id,
            Trigger = rule.Trigger,
            DayOfMonth = rule.DayOfMonth,
            Status = CouponActivityStatus.Pending,
            CreatedAt = now,
        };
        couponActivity.ChangeBudget(budget);
        return couponActivity;
    }

    internal void ChangeBudget(int budget)
    {
        if (Status == CouponActivityStatus.Ended)
            throw new DomainException("CouponActivity.Ended", "This coupon activity has ended.");
        if (budget <= 0)
            throw new DomainException("CouponActivity.BudgetInvalid", "A budget is at least one coupon.");
        if (budget < Issued)
            throw new DomainException("CouponActivity.BudgetBelowIssued", "{Issued} coupons are already issued; the budget cannot be lower.", ("Issued", Issued));
        Budget = budget;
    }

    internal void MakeEffective()
    {
        if (Status == CouponActivityStatus.Pending)
            Status = CouponActivityStatus.Effective;
    }

    internal void End() => Status = CouponActivityStatus.Ended;
}
