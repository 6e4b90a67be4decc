using System.Text.Json;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Plans;

namespace MerchantConsole.Features.Coupons;

/// <summary>The fields of the coupon designer a refusal can be shown under.</summary>
public enum CouponField
{
    None,
    Name,
    Kind,
    FaceValue,
    Percent,
    Cap,
    GiftItem,
    MinimumSpend,
    Validity,
    Weekdays,
    Hours,
    Stores,
    Stock,
    PerMemberLimit,
    CodePrefix,
    CodeLength,
}

/// <summary>What the coupon designer edits: amounts in major units as typed, turned into <see cref="CouponTerms"/> on save.</summary>
public sealed class CouponTemplateForm
{
    public string Name { get; set; } = "";
    public CouponKind Kind { get; set; } = CouponKind.CashOff;
    public string Currency { get; set; } = "CNY";
    public decimal? FaceValue { get; set; }
    public int? Percent { get; set; }
    public decimal? Cap { get; set; }
    public string? GiftItem { get; set; }
    public decimal? MinimumSpend { get; set; }
    public ValidityKind ValidityKind { get; set; } = ValidityKind.AfterIssue;
    public DateTime? ValidFrom { get; set; }
    public DateTime? ValidUntil { get; set; }
    public int? ValidDays { get; set; } = 30;
    public int DelayDays { get; set; }
    public UsableWeekdays Weekdays { get; set; } = UsableWeekdays.All;
    public bool LimitHours { get; set; }
    public TimeSpan? HoursFrom { get; set; } = new(10, 0, 0);
    public TimeSpan? HoursUntil { get; set; } = new(22, 0, 0);
    public bool AllStores { get; set; } = true;
    public string StoreCodes { get; set; } = "";
    public int? TotalStock { get; set; }
    public int? PerMemberLimit { get; set; }
    public string CodePrefix { get; set; } = "";
    public int CodeLength { get; set; } = CouponCodePattern.Default.Length;

    public static CouponTemplateForm From(string name, CouponTerms terms) => new()
    {
        Name = name,
        Kind = terms.Kind,
        Currency = terms.Currency,
        FaceValue = terms.FaceValueMinorUnits is { } face ? MoneyInput.ToMajor(face, terms.Currency) : null,
        Percent = terms.Percent,
        Cap = terms.PercentCapMinorUnits is { } cap ? MoneyInput.ToMajor(cap, terms.Currency) : null,
        GiftItem = terms.GiftItem,
        MinimumSpend = terms.MinimumSpendMinorUnits == 0 ? null : MoneyInput.ToMajor(terms.MinimumSpendMinorUnits, terms.Currency),
        ValidityKind = terms.Validity.Kind,
        ValidFrom = terms.Validity.From?.ToDateTime(TimeOnly.MinValue),
        ValidUntil = terms.Validity.Until?.ToDateTime(TimeOnly.MinValue),
        ValidDays = terms.Validity.Days,
        DelayDays = terms.Validity.DelayDays,
        Weekdays = terms.Weekdays,
        LimitHours = terms.Hours is not null,
        HoursFrom = terms.Hours is { } h ? TimeSpan.FromMinutes(h.FromMinute) : new(10, 0, 0),
        HoursUntil = terms.Hours is { } u ? TimeSpan.FromMinutes(u.UntilMinute % UsableHours.MinutesPerDay) : new(22, 0, 0),
        AllStores = terms.AllStores,
        StoreCodes = string.Join(", ", terms.StoreCodes),
        TotalStock = terms.TotalStock,
        PerMemberLimit = terms.PerMemberLimit,
        CodePrefix = terms.CodePattern.Prefix,
        CodeLength = terms.CodePattern.Length,
    };

    /// <summary>The terms as typed (not yet validated: the service validates and refuses); a badly typed amount is refused with its field.</summary>
    public CouponTerms ToTerms() => new()
    {
        Kind = Kind,
        Currency = Currency,
        FaceValueMinorUnits = Kind is CouponKind.PercentOff ? null : Minor(FaceValue, CouponField.FaceValue),
        Percent = Kind == CouponKind.PercentOff ? Percent : null,
        PercentCapMinorUnits = Kind == CouponKind.PercentOff ? Minor(Cap, CouponField.Cap) : null,
        GiftItem = Kind == CouponKind.GiftItem ? GiftItem : null,
        MinimumSpendMinorUnits = Minor(MinimumSpend, CouponField.MinimumSpend) ?? 0,
        Validity = ValidityKind == ValidityKind.Fixed
            ? new CouponValidity(ValidityKind.Fixed, ValidFrom is { } from ? DateOnly.FromDateTime(from) : null, ValidUntil is { } until ? DateOnly.FromDateTime(until) : null)
            : CouponValidity.AfterIssue(ValidDays ?? 0, DelayDays),
        Weekdays = Weekdays,
        Hours = LimitHours ? new UsableHours(Minutes(HoursFrom), HoursUntil is { } end && end == TimeSpan.Zero ? UsableHours.MinutesPerDay : Minutes(HoursUntil)) : null,
        StoreCodes = AllStores ? [] : StoreCodes.Split([',', ' ', '，', '、', '\n', ';'], StringSplitOptions.RemoveEmptyEntries),
        TotalStock = TotalStock,
        PerMemberLimit = PerMemberLimit,
        CodePattern = new CouponCodePattern(CodePrefix ?? "", CodeLength, CouponCodePattern.DefaultAlphabet),
    };

    /// <summary>A code as this pattern would draw it, or null while the pattern is not valid.</summary>
    public string? SampleCode()
    {
        try
        {
            return new CouponCodePattern(CodePrefix ?? "", CodeLength, CouponCodePattern.DefaultAlphabet).Validated(TotalStock).Generate();
        }
        catch (DomainException)
        {
            return null;
        }
    }

    public string Snapshot() => JsonSerializer.Serialize(this);

    public bool Has(UsableWeekdays day) => (Weekdays & day) != 0;

    public void Toggle(UsableWeekdays day, bool on) => Weekdays = on ? Weekdays | day : Weekdays & ~day;

    /// <summary>The field a refusal is about, so the designer shows it there.</summary>
    public static CouponField FieldOf(Refusal refusal) => refusal.Code switch
    {
        "CouponTemplate.NameRequired" => CouponField.Name,
        "Text.TooLong" or "Text.TooLongToStore" or "Text.TooManyMarks" => (refusal.Arguments.GetValueOrDefault("Field") as string) switch
        {
            "CouponTemplateName" => CouponField.Name,
            "GiftItem" => CouponField.GiftItem,
            _ => CouponField.None,
        },
        "CouponTemplate.KindUnknown" => CouponField.Kind,
        "CouponTemplate.FaceValueRequired" or "CouponTemplate.FaceValueNegative" => CouponField.FaceValue,
        "CouponTemplate.PercentInvalid" => CouponField.Percent,
        "CouponTemplate.CapInvalid" => CouponField.Cap,
        "CouponTemplate.GiftItemRequired" => CouponField.GiftItem,
        "CouponTemplate.MinimumSpendNegative" => CouponField.MinimumSpend,
        "CouponTemplate.ValidityDatesRequired" or "CouponTemplate.ValidityDatesReversed" or "CouponTemplate.ValidityTooLong"
            or "CouponTemplate.ValidityDaysInvalid" or "CouponTemplate.ValidityDelayInvalid" or "CouponTemplate.ValidityKindUnknown" => CouponField.Validity,
        "CouponTemplate.WeekdaysRequired" => CouponField.Weekdays,
        "CouponTemplate.HoursInvalid" => CouponField.Hours,
        "CouponTemplate.TooManyStores" or "CouponTemplate.StoreCodeInvalid" => CouponField.Stores,
        "CouponTemplate.StockInvalid" => CouponField.Stock,
        "CouponTemplate.PerMemberLimitInvalid" or "CouponTemplate.PerMemberLimitAboveStock" => CouponField.PerMemberLimit,
        "CouponTemplate.CodePrefixInvalid" => CouponField.CodePrefix,
        "CouponTemplate.CodeLengthInvalid" or "CouponTemplate.CodeSpaceTooSmall" => CouponField.CodeLength,
        _ => CouponField.None,
    };

    private long? Minor(decimal? amount, CouponField field)
    {
        if (amount is not { } value)
            return null;
        try
        {
            return MoneyInput.ToMinorUnits(value, Currency);
        }
        catch (DomainException refusal)
        {
            throw new CouponFieldException(field, refusal.Refusal);
        }
    }

    private static int Minutes(TimeSpan? time) => time is { } t ? (int)t.TotalMinutes : -1;
}

/// <summary>A refusal found while reading the form, before the service saw it, with the field it is about.</summary>
public sealed class CouponFieldException(CouponField field, Refusal refusal) : DomainException(refusal)
{
    public CouponField Field { get; } = field;
}
