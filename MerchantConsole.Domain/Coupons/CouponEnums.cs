namespace MerchantConsole.Domain.Coupons;

public enum CouponKind
{
    /// <summary>A fixed amount off the order (满减 / 代金券).</summary>
    CashOff,
    /// <summary>A percentage off the order, up to an optional cap (折扣券).</summary>
    PercentOff,
    /// <summary>A named item given with the order (兑换券).</summary>
    GiftItem,
    FreeShipping,
}

public enum ValidityKind
{
    /// <summary>From the start of one local day to the end of another, whenever the coupon is issued.</summary>
    Fixed,
    /// <summary>N days from issue (after an optional delay), ending at the end of a local day.</summary>
    AfterIssue,
}

/// <summary>Days of the week a coupon may be redeemed on, in the merchant's zone.</summary>
[Flags]
public enum UsableWeekdays
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    Weekend = Saturday | Sunday,
    All = Weekdays | Weekend,
}

public enum CouponTemplateVersionStatus
{
    Draft,
    Published,
}

public enum ActivityStatus
{
    Draft,
    Effective,
    Ended,
    Cancelled,
}

public enum CouponActivityStatus
{
    /// <summary>Created; issues nothing until its activity (and, for a benefit, the benefit) is effective.</summary>
    Pending,
    Effective,
    Ended,
}

/// <summary>When a coupon activity issues (the seed's 发券规则).</summary>
public enum IssueTrigger
{
    OnJoin,
    OnPurchase,
    MonthlyOnDay,
    OnBirthday,
    ManualGrant,
}

public enum CouponStatus
{
    Issued,
    Redeemed,
    Expired,
    Revoked,
}

/// <summary>The usable-weekday flag of a day of the week.</summary>
public static class WeekdayFlags
{
    public static UsableWeekdays Of(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => UsableWeekdays.Monday,
        DayOfWeek.Tuesday => UsableWeekdays.Tuesday,
        DayOfWeek.Wednesday => UsableWeekdays.Wednesday,
        DayOfWeek.Thursday => UsableWeekdays.Thursday,
        DayOfWeek.Friday => UsableWeekdays.Friday,
        DayOfWeek.Saturday => UsableWeekdays.Saturday,
        _ => UsableWeekdays.Sunday,
    };
}
