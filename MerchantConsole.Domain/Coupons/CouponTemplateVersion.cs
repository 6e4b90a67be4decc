using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>
/// One numbered set of terms of a coupon template. Coupon activities and issued coupons point at a version by id, so a
/// published version's terms never change. The terms are kept as columns (so stock can be checked by a conditional
/// update and each term shows in the audit trail); <see cref="Issued"/> is the stock counter, changed only by issuance.
/// </summary>
public sealed class CouponTemplateVersion
{
    public Guid Id { get; private set; }
    public Guid CouponTemplateId { get; private set; }
    public int Number { get; private set; }
    public CouponTemplateVersionStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public string? PublishedBy { get; private set; }

    public CouponKind Kind { get; private set; }
    public string Currency { get; private set; } = "CNY";
    public long? FaceValueMinorUnits { get; private set; }
    public int? Percent { get; private set; }
    public long? PercentCapMinorUnits { get; private set; }
    public string? GiftItem { get; private set; }
    public long MinimumSpendMinorUnits { get; private set; }
    public ValidityKind ValidityKind { get; private set; }
    public DateOnly? ValidFromDate { get; private set; }
    public DateOnly? ValidUntilDate { get; private set; }
    public int? ValidDays { get; private set; }
    public int ValidDelayDays { get; private set; }
    public UsableWeekdays Weekdays { get; private set; }
    public int? UsableFromMinute { get; private set; }
    public int? UsableUntilMinute { get; private set; }
    /// <summary>Upper-case codes, sorted, comma-separated; empty for every store.</summary>
    public string StoreCodes { get; private set; } = "";
    public int? TotalStock { get; private set; }
    public int? PerMemberLimit { get; private set; }
    public string CodePrefix { get; private set; } = "";
    public int CodeLength { get; private set; }
    public string CodeAlphabet { get; private set; } = CouponCodePattern.DefaultAlphabet;

    /// <summary>Coupons issued under this version; issuance raises it only while it is below <see cref="TotalStock"/>.</summary>
    public int Issued { get; private set; }

    public int? StockLeft => TotalStock is { } stock ? Math.Max(0, stock - Issued) : null;

    public CouponTerms Terms => new()
    {
        Kind = Kind,
        Currency = Currency,
        FaceValueMinorUnits = FaceValueMinorUnits,
        Percent = Percent,
        PercentCapMinorUnits = PercentCapMinorUnits,
        GiftItem = GiftItem,
        MinimumSpendMinorUnits = MinimumSpendMinorUnits,
        Validity = new CouponValidity(ValidityKind, ValidFromDate, ValidUntilDate, ValidDays, ValidDelayDays),
        Weekdays = Weekdays,
        Hours = UsableFromMinute is { } from && UsableUntilMinute is { } until ? new UsableHours(from, until) : null,
        StoreCodes = StoreCodes.Length == 0 ? [] : StoreCodes.Split(','),
        TotalStock = TotalStock,
        PerMemberLimit = PerMemberLimit,
        CodePattern = new CouponCodePattern(CodePrefix, CodeLength, CodeAlphabet),
    };

    private CouponTemplateVersion() { }

    internal static CouponTemplateVersion StartDraft(Guid templateId, int number, CouponTerms terms, DateTimeOffset now)
    {
        var version = new CouponTemplateVersion
        {
            Id = Guid.NewGuid(),
            CouponTemplateId = templateId,
            Number = number,
            Status = CouponTemplateVersionStatus.Draft,
            CreatedAt = now,
        };
        version.SetTerms(terms);
        return version;
    }

    internal void ReplaceTerms(CouponTerms terms)
    {
        EnsureDraft();
        SetTerms(terms);
    }

    internal void Publish(string by, DateTimeOffset now)
    {
        EnsureDraft();
        Status = CouponTemplateVersionStatus.Published;
        PublishedAt = now;
        PublishedBy = by;
    }

    private void SetTerms(CouponTerms terms)
    {
        terms = terms.Validated();
        Kind = terms.Kind;
        Currency = terms.Currency;
        FaceValueMinorUnits = terms.FaceValueMinorUnits;
        Percent = terms.Percent;
        PercentCapMinorUnits = terms.PercentCapMinorUnits;
        GiftItem = terms.GiftItem;
        MinimumSpendMinorUnits = terms.MinimumSpendMinorUnits;
        ValidityKind = terms.Validity.Kind;
        ValidFromDate = terms.Validity.From;
        ValidUntilDate = terms.Validity.Until;
        ValidDays = terms.Validity.Days;
        ValidDelayDays = terms.Validity.DelayDays;
        Weekdays = terms.Weekdays;
        UsableFromMinute = terms.Hours?.FromMinute;
        UsableUntilMinute = terms.Hours?.UntilMinute;
        StoreCodes = string.Join(',', terms.StoreCodes);
        TotalStock = terms.TotalStock;
        PerMemberLimit = terms.PerMemberLimit;
        CodePrefix = terms.CodePattern.Prefix;
        CodeLength = terms.CodePattern.Length;
        CodeAlphabet = terms.CodePattern.Alphabet;
    }

    private void EnsureDraft()
    {
        if (Status != CouponTemplateVersionStatus.Draft)
            throw new DomainException("CouponTemplate.VersionPublished", "Version {Version} is published and cannot change; edit the template to start a new draft.", ("Version", Number));
    }
}
