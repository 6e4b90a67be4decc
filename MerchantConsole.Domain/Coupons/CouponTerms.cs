using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>
/// When a coupon is valid. <see cref="ValidityKind.Fixed"/>: from the start of <see cref="From"/> to the end of
/// <see cref="Until"/> (local dates). <see cref="ValidityKind.AfterIssue"/>: valid <see cref="Days"/> local days,
/// starting at issue, or at the start of the day <see cref="DelayDays"/> after the issue day; it ends at the end of a
/// local day, so a coupon issued at 23:50 with one day's validity is valid for ten minutes.
/// </summary>
public sealed record CouponValidity(ValidityKind Kind, DateOnly? From = null, DateOnly? Until = null, int? Days = null, int DelayDays = 0)
{
    public const int MaxDays = 3650;
    public const int MaxDelayDays = 365;

    public static CouponValidity Between(DateOnly from, DateOnly until) => new(ValidityKind.Fixed, from, until);

    public static CouponValidity AfterIssue(int days, int delayDays = 0) => new(ValidityKind.AfterIssue, Days: days, DelayDays: delayDays);

    public CouponValidity Validated()
    {
        switch (Kind)
        {
            case ValidityKind.Fixed:
                if (From is not { } from || Until is not { } until)
                    throw new DomainException("CouponTemplate.ValidityDatesRequired", "A fixed validity needs a first and a last day.");
                if (until < from)
                    throw new DomainException("CouponTemplate.ValidityDatesReversed", "The last valid day ({Until}) is before the first ({From}).", ("From", from), ("Until", until));
                if (until.DayNumber - from.DayNumber >= MaxDays)
                    throw new DomainException("CouponTemplate.ValidityTooLong", "A coupon is valid for at most {Max} days.", ("Max", MaxDays));
                return new CouponValidity(ValidityKind.Fixed, from, until);
            case ValidityKind.AfterIssue:
                if (Days is not (>= 1 and <= MaxDays))
                    throw new DomainException("CouponTemplate.ValidityDaysInvalid", "A coupon valid after issue is valid for 1 to {Max} days.", ("Max", MaxDays));
                if (DelayDays is < 0 or > MaxDelayDays)
                    throw new DomainException("CouponTemplate.ValidityDelayInvalid", "A coupon takes effect 0 to {Max} days after issue.", ("Max", MaxDelayDays));
                return new CouponValidity(ValidityKind.AfterIssue, Days: Days, DelayDays: DelayDays);
            default:
                throw new DomainException("CouponTemplate.ValidityKindUnknown", "Choose a fixed period or a number of days after issue.");
        }
    }

    /// <summary>The instants a coupon issued at <paramref name="issuedAt"/> is valid between: from inclusive, until exclusive.</summary>
    public (DateTimeOffset From, DateTimeOffset Until) For(DateTimeOffset issuedAt, TimeZoneInfo zone)
    {
        if (Kind == ValidityKind.Fixed)
            return (LocalDays.StartOf(From!.Value, zone), LocalDays.EndOf(Until!.Value, zone));
        var issueDay = LocalDays.DateOf(issuedAt, zone);
        var firstDay = issueDay.AddDays(DelayDays);
        var from = DelayDays == 0 ? issuedAt.ToUniversalTime() : LocalDays.StartOf(firstDay, zone);
        return (from, LocalDays.EndOf(firstDay.AddDays(Days!.Value - 1), zone));
    }
}

/// <summary>Local hours a coupon may be redeemed in: minutes after local midnight, from inclusive, until exclusive (1440 = midnight at the end).</summary>
public sealed record UsableHours(int FromMinute, int UntilMinute)
{
    public const int MinutesPerDay = 24 * 60;

    public static UsableHours Between(TimeOnly from, TimeOnly until) =>
        new(from.Hour * 60 + from.Minute, until == TimeOnly.MinValue ? MinutesPerDay : until.Hour * 60 + until.Minute);

    public UsableHours Validated()
    {
        if (FromMinute < 0 || UntilMinute > MinutesPerDay || UntilMinute <= FromMinute)
            throw new DomainException("CouponTemplate.HoursInvalid", "Usable hours start before they end, within one day.");
        return this;
    }

    public bool Contains(TimeOnly localTime)
    {
        var minute = localTime.Hour * 60 + localTime.Minute;
        return minute >= FromMinute && minute < UntilMinute;
    }

    public string FromText => Text(FromMinute);
    public string UntilText => Text(UntilMinute);

    private static string Text(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}

/// <summary>
/// What a coupon is worth and where, when and on what it may be used: the terms a published template version freezes.
/// Amounts are minor units of <see cref="Currency"/>; <see cref="Percent"/> is the share taken off (20 = 20 % off).
/// </summary>
public sealed record CouponTerms
{
    public const int MaxStores = 200;
    public const int StoreCodeMaxLength = 32;
    public const int MaxGiftItemLength = 60;
    public static readonly TextLimit GiftItemLimit = TextLimit.Of(MaxGiftItemLength);
    /// <summary>Store codes stored as one comma-separated column: the most codes of the longest length, with commas.</summary>
    public const int StoreListMaxLength = MaxStores * (StoreCodeMaxLength + 1);

    public CouponKind Kind { get; init; }
    public string Currency { get; init; } = "CNY";
    /// <summary>Cash off: the amount. Gift item: what the gift costs the merchant (for forecasts), optional.</summary>
    public long? FaceValueMinorUnits { get; init; }
    public int? Percent { get; init; }
    public long? PercentCapMinorUnits { get; init; }
    public string? GiftItem { get; init; }
    public long MinimumSpendMinorUnits { get; init; }
    public CouponValidity Validity { get; init; } = CouponValidity.AfterIssue(30);
    public UsableWeekdays Weekdays { get; init; } = UsableWeekdays.All;
    /// <summary>Null: any time of day.</summary>
    public UsableHours? Hours { get; init; }
    /// <summary>Empty: every store.</summary>
    public IReadOnlyList<string> StoreCodes { get; init; } = [];
    /// <summary>Null: no limit on how many coupons of this version are issued.</summary>
    public int? TotalStock { get; init; }
    /// <summary>Null: a member may hold any number of coupons of this template.</summary>
    public int? PerMemberLimit { get; init; }
    public CouponCodePattern CodePattern { get; init; } = CouponCodePattern.Default;

    public bool AllStores => StoreCodes.Count == 0;

    /// <summary>The terms normalised (codes in upper case, store list sorted and distinct), or the first rule they break.</summary>
    public CouponTerms Validated()
    {
        if (!Enum.IsDefined(Kind))
            throw new DomainException("CouponTemplate.KindUnknown", "Choose what the coupon gives: cash off, percent off, a gift item or free shipping.");
        _ = new Money(0, Currency);
        long? face = FaceValueMinorUnits;
        int? percent = null;
        long? cap = null;
        string? gift = null;
        switch (Kind)
        {
            case CouponKind.CashOff:
                if (face is not > 0)
                    throw new DomainException("CouponTemplate.FaceValueRequired", "A cash-off coupon takes a positive amount off.");
                break;
            case CouponKind.PercentOff:
                if (Percent is not (>= 1 and <= 99))
                    throw new DomainException("CouponTemplate.PercentInvalid", "A percent-off coupon takes 1 to 99 percent off.");
                if (PercentCapMinorUnits is <= 0)
                    throw new DomainException("CouponTemplate.CapInvalid", "A discount cap, when set, is a positive amount.");
                percent = Percent;
                cap = PercentCapMinorUnits;
                face = null;
                break;
            case CouponKind.GiftItem:
                gift = GiftItem?.Trim();
                if (string.IsNullOrEmpty(gift))
                    throw new DomainException("CouponTemplate.GiftItemRequired", "A gift coupon names the item it gives.");
                GiftItemLimit.Enforce(gift, "GiftItem", "The gift item");
                if (face is < 0)
                    throw new DomainException("CouponTemplate.FaceValueNegative", "What the coupon costs you cannot be negative.");
                break;
            case CouponKind.FreeShipping:
                if (face is < 0)
                    throw new DomainException("CouponTemplate.FaceValueNegative", "What the coupon costs you cannot be negative.");
                break;
        }
        if (MinimumSpendMinorUnits < 0)
            throw new DomainException("CouponTemplate.MinimumSpendNegative", "A minimum spend cannot be negative.");
        if (Weekdays == UsableWeekdays.None || (Weekdays & ~UsableWeekdays.All) != 0)
            throw new DomainException("CouponTemplate.WeekdaysRequired", "A coupon is usable on at least one day of the week.");
        var stores = (StoreCodes ?? []).Select(s => (s ?? "").Trim().ToUpperInvariant()).Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (stores.Count > MaxStores)
            throw new DomainException("CouponTemplate.TooManyStores", "A coupon lists at most {Max} stores; leave the list empty for every store.", ("Max", MaxStores));
        if (stores.FirstOrDefault(s => s.Length > StoreCodeMaxLength || s.Contains(',')) is { } badStore)
            throw new DomainException("CouponTemplate.StoreCodeInvalid", "'{Store}' is not a store code: at most {Max} characters, no commas.", ("Store", badStore), ("Max", StoreCodeMaxLength));
        if (TotalStock is <= 0)
            throw new DomainException("CouponTemplate.StockInvalid", "A total stock, when set, is at least one coupon.");
        if (PerMemberLimit is <= 0)
            throw new DomainException("CouponTemplate.PerMemberLimitInvalid", "A per-member limit, when set, is at least one coupon.");
        if (PerMemberLimit > TotalStock)
            throw new DomainException("CouponTemplate.PerMemberLimitAboveStock", "A member cannot be allowed more coupons ({Limit}) than the stock ({Stock}).", ("Limit", PerMemberLimit), ("Stock", TotalStock));
        return this with
        {
            FaceValueMinorUnits = face,
            Percent = percent,
            PercentCapMinorUnits = cap,
            GiftItem = gift,
            Validity = (Validity ?? throw new DomainException("CouponTemplate.ValidityKindUnknown", "Choose a fixed period or a number of days after issue.")).Validated(),
            Hours = Hours?.Validated(),
            StoreCodes = stores,
            CodePattern = (CodePattern ?? CouponCodePattern.Default).Validated(TotalStock),
        };
    }

    public Money MinimumSpend => new(MinimumSpendMinorUnits, Currency);

    /// <summary>
    /// Refuses a use at <paramref name="at"/> in <paramref name="storeCode"/> on an order of <paramref name="orderAmountMinor"/>
    /// that the terms do not allow (days and hours in the merchant's zone). Validity dates are the coupon's, checked by it.
    /// </summary>
    public void EnsureUsable(DateTimeOffset at, TimeZoneInfo zone, string? storeCode, long orderAmountMinor)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        if ((Weekdays & WeekdayFlags.Of(local.DayOfWeek)) == 0)
            throw new DomainException("Coupon.NotUsableToday", "This coupon cannot be used on {Day}.", ("Day", local.DayOfWeek));
        if (Hours is { } hours && !hours.Contains(TimeOnly.FromDateTime(local.DateTime)))
            throw new DomainException("Coupon.OutsideUsableHours", "This coupon can be used between {From} and {Until} only.", ("From", hours.FromText), ("Until", hours.UntilText));
        var store = (storeCode ?? "").Trim().ToUpperInvariant();
        if (!AllStores && !StoreCodes.Contains(store))
            throw new DomainException("Coupon.StoreNotAllowed", "This coupon cannot be used in store {Store}.", ("Store", store));
        if (orderAmountMinor < 0)
            throw new DomainException("Coupon.OrderAmountNegative", "An order amount cannot be negative.");
        if (orderAmountMinor < MinimumSpendMinorUnits)
            throw new DomainException("Coupon.BelowMinimumSpend", "This coupon needs an order of at least {Minimum}; this one is {Amount}.",
                ("Minimum", MinimumSpend), ("Amount", new Money(orderAmountMinor, Currency)));
    }

    /// <summary>What the coupon takes off an order of <paramref name="orderAmountMinor"/>: never more than the order.</summary>
    public long DiscountOn(long orderAmountMinor) => Kind switch
    {
        CouponKind.CashOff => Math.Min(FaceValueMinorUnits ?? 0, orderAmountMinor),
        CouponKind.PercentOff => Math.Min(orderAmountMinor * Percent!.Value / 100, PercentCapMinorUnits ?? long.MaxValue),
        _ => 0,
    };
}
