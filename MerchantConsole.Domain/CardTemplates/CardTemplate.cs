using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

public enum CardTemplateStatus
{
    /// <summary>Never published; no plan can use it yet.</summary>
    Draft,
    Published,
    /// <summary>Plans use the latest published version while an edit waits to be published.</summary>
    PublishedWithDraft,
}

/// <summary>
/// A merchant's card design (会员卡模版 → 展示模版) with its version history. Published versions are
/// frozen; every later edit goes to the single draft, which publishing turns into the next version.
/// </summary>
public sealed class CardTemplate : IMerchantOwned, IConcurrencyVersioned
{
    private readonly List<CardTemplateVersion> _versions = [];

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    /// <summary>In no particular order (the database returns them as it likes); see <see cref="History"/>.</summary>
    public IReadOnlyList<CardTemplateVersion> Versions => _versions.AsReadOnly();

    /// <summary>Newest first, for the version history list.</summary>
    public IReadOnlyList<CardTemplateVersion> History => [.. _versions.OrderByDescending(v => v.Number)];

    public CardTemplateVersion? CurrentDraft => _versions.SingleOrDefault(v => v.Status == CardTemplateVersionStatus.Draft);

    public CardTemplateVersion? LatestPublished => _versions
        .Where(v => v.Status == CardTemplateVersionStatus.Published)
        .MaxBy(v => v.Number);

    public CardTemplateStatus Status => (LatestPublished, CurrentDraft) switch
    {
        (null, _) => CardTemplateStatus.Draft,
        (_, null) => CardTemplateStatus.Published,
        _ => CardTemplateStatus.PublishedWithDraft,
    };

    private CardTemplate() { }

    public static CardTemplate Create(Guid merchantId, string name, DisplayDesign design, string by, DateTimeOffset now)
    {
        if (merchantId == Guid.Empty)
            throw new DomainException("CardTemplate.MerchantRequired", "A card template belongs to a merchant.");
        var template = new CardTemplate { Id = Guid.NewGuid(), MerchantId = merchantId, CreatedAt = now };
        template.Rename(name, by, now);
        DisplayDesignValidator.EnsureValid(design);
        template._versions.Add(CardTemplateVersion.StartDraft(template.Id, 1, design, now));
        return template;
    }

    public void Rename(string name, string by, DateTimeOffset now)
    {
        RequireBy(by);
        name = name?.Trim() ?? "";
        var errors = DisplayDesignValidator.ValidateName(name);
        if (errors.Count > 0)
            throw new DomainException("CardTemplate.NameInvalid", "A template name is required and at most {Max} characters.", ("Max", DisplayDesignValidator.NameMax));
        Name = name;
        Touch(by, now);
    }

    /// <summary>
    /// Saves an edit. With a draft open, the draft takes the design; otherwise a new draft numbered
    /// after the latest version is started, so the published version stays as plans and cards saw it.
    /// </summary>
    public CardTemplateVersion SaveDraft(DisplayDesign design, string by, DateTimeOffset now)
    {
        RequireBy(by);
        DisplayDesignValidator.EnsureValid(design);
        var draft = CurrentDraft;
        if (draft is not null)
        {
            draft.ReplaceDesign(design);
        }
        else
        {
            // A draft equal to what is published would publish as a version that changes nothing.
            var published = LatestPublished!;
            if (published.Design.Equals(design))
                throw new DomainException("CardTemplate.NothingChanged", "Nothing changed since version {Version} was published.", ("Version", published.Number));
            draft = CardTemplateVersion.StartDraft(Id, _versions.Max(v => v.Number) + 1, design, now);
            _versions.Add(draft);
        }
        Touch(by, now);
        return draft;
    }

    /// <summary>Freezes the draft as the newest published version.</summary>
    public CardTemplateVersion Publish(string by, DateTimeOffset now)
    {
        RequireBy(by);
        var draft = CurrentDraft
            ?? throw new DomainException("CardTemplate.NoDraft", "There is no draft to publish; edit the template first.");
        // Rules may have tightened since the draft was saved.
        var errors = DisplayDesignValidator.Validate(draft.Design);
        if (errors.Count > 0)
            throw new DomainException("CardTemplate.VersionInvalid", "Version {Version} cannot be published: {Problems}", ("Version", draft.Number), ("Problems", string.Join(" ", errors.Select(e => e.Message))));
        draft.Publish(by, now);
        Touch(by, now);
        return draft;
    }

    public CardTemplateVersion Version(Guid versionId) =>
        _versions.SingleOrDefault(v => v.Id == versionId)
        ?? throw new DomainException("CardTemplate.VersionNotFound", "That version does not belong to this card template.");

    /// <summary>What changed from one version to another, for the history view.</summary>
    public IReadOnlyList<DesignDifference> Compare(Guid olderVersionId, Guid newerVersionId) =>
        DesignComparer.Compare(Version(olderVersionId).Design, Version(newerVersionId).Design);

    private void Touch(string by, DateTimeOffset now)
    {
        UpdatedAt = now;
        UpdatedBy = by;
    }

    private static void RequireBy(string by)
    {
        if (string.IsNullOrWhiteSpace(by))
            throw new DomainException("CardTemplate.ActorRequired", "Every change to a card template records who made it.");
    }
}
