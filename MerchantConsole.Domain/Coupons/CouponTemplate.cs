using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>
/// A merchant's coupon design (券模版) with its version history, versioned like card templates: published versions are
/// frozen, every later edit goes to the single draft, and publishing turns the draft into the next version.
/// </summary>
public sealed class CouponTemplate : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxNameLength = 60;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);

    private readonly List<CouponTemplateVersion> _versions = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    public IReadOnlyList<CouponTemplateVersion> Versions => _versions.AsReadOnly();

    public CouponTemplateVersion? CurrentDraft => _versions.SingleOrDefault(v => v.Status == CouponTemplateVersionStatus.Draft);

    public CouponTemplateVersion? LatestPublished => _versions
        .Where(v => v.Status == CouponTemplateVersionStatus.Published)
        .MaxBy(v => v.Number);

    private CouponTemplate() { }

    public static CouponTemplate Create(Guid merchantId, string name, CouponTerms terms, string by, DateTimeOffset now)
    {
        if (merchantId == Guid.Empty)
            throw new DomainException("CouponTemplate.MerchantRequired", "A coupon template belongs to a merchant.");
        var template = new CouponTemplate { Id = Guid.NewGuid(), MerchantId = merchantId, CreatedAt = now };
        template.Rename(name, by, now);
        template._versions.Add(CouponTemplateVersion.StartDraft(template.Id, 1, terms, now));
        return template;
    }

    public void Rename(string name, string by, DateTimeOffset now)
    {
        RequireBy(by);
        name = name?.Trim() ?? "";
        if (name.Length == 0)
            throw new DomainException("CouponTemplate.NameRequired", "A coupon template needs a name.");
        NameLimit.Enforce(name, "CouponTemplateName", "A coupon template name");
        Name = name;
        Touch(by, now);
    }

    /// <summary>
    /// Saves an edit into the draft, starting a new draft numbered after the latest version when only published versions
    /// exist, so coupons and activities keep the terms they were made with.
    /// </summary>
    public CouponTemplateVersion SaveDraft(CouponTerms terms, string by, DateTimeOffset now)
    {
        RequireBy(by);
        terms = terms.Validated();
        var draft = CurrentDraft;
        if (draft is not null)
        {
            draft.ReplaceTerms(terms);
        }
        else
        {
            var published = LatestPublished!;
            if (published.Terms.Validated() is var current && SameTerms(current, terms))
                throw new DomainException("CouponTemplate.NothingChanged", "Nothing changed since version {Version} was published.", ("Version", published.Number));
            draft = CouponTemplateVersion.StartDraft(Id, _versions.Max(v => v.Number) + 1, terms, now);
            _versions.Add(draft);
        }
        Touch(by, now);
        return draft;
    }

    public CouponTemplateVersion Publish(string by, DateTimeOffset now)
    {
        RequireBy(by);
        var draft = CurrentDraft
            ?? throw new DomainException("CouponTemplate.NoDraft", "There is no draft to publish; edit the template first.");
        draft.Publish(by, now);
        Touch(by, now);
        return draft;
    }

    public CouponTemplateVersion Version(Guid versionId) =>
        _versions.SingleOrDefault(v => v.Id == versionId)
        ?? throw new DomainException("CouponTemplate.VersionNotFound", "That version does not belong to this coupon template.");

    private static bool SameTerms(CouponTerms a, CouponTerms b) =>
        a with { StoreCodes = [] } == b with { StoreCodes = [] } && a.StoreCodes.SequenceEqual(b.StoreCodes);

    private void Touch(string by, DateTimeOffset now)
    {
        UpdatedAt = now;
        UpdatedBy = by;
    }

    private static void RequireBy(string by)
    {
        if (string.IsNullOrWhiteSpace(by))
            throw new DomainException("CouponTemplate.ActorRequired", "Every change to a coupon template records who made it.");
    }
}
