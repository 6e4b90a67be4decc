using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

public enum CardTemplateVersionStatus
{
    Draft,
    Published,
}

/// <summary>
/// One numbered design of a template. Plans and issued cards point at a version by id, so a
/// published version never changes: a customer's card keeps its face until it is re-issued.
/// </summary>
public sealed class CardTemplateVersion
{
    public Guid Id { get; private set; }
    public Guid CardTemplateId { get; private set; }
    /// <summary>1, 2, 3… within its template.</summary>
    public int Number { get; private set; }
    public CardTemplateVersionStatus Status { get; private set; }
    public DisplayDesign Design { get; private set; } = new();
    /// <summary>
    /// Copies of the design's image ids, kept as columns so the upload store can ask which versions use
    /// an image (to serve it publicly, or to keep it from clean-up) without reading every design.
    /// </summary>
    public Guid? LogoImageId { get; private set; }
    public Guid? BackgroundImageId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public string? PublishedBy { get; private set; }

    private CardTemplateVersion() { }

    internal static CardTemplateVersion StartDraft(Guid cardTemplateId, int number, DisplayDesign design, DateTimeOffset now)
    {
        var version = new CardTemplateVersion
        {
            Id = Guid.NewGuid(),
            CardTemplateId = cardTemplateId,
            Number = number,
            Status = CardTemplateVersionStatus.Draft,
            CreatedAt = now,
        };
        version.SetDesign(design);
        return version;
    }

    internal void ReplaceDesign(DisplayDesign design)
    {
        EnsureDraft();
        SetDesign(design);
    }

    private void SetDesign(DisplayDesign design)
    {
        Design = design;
        LogoImageId = design.LogoImageId;
        BackgroundImageId = design.BackgroundImageId;
    }

    internal void Publish(string by, DateTimeOffset now)
    {
        EnsureDraft();
        Status = CardTemplateVersionStatus.Published;
        PublishedAt = now;
        PublishedBy = by;
    }

    // The template already routes edits to the draft; this guards the version on its own as well.
    private void EnsureDraft()
    {
        if (Status != CardTemplateVersionStatus.Draft)
            throw new DomainException("CardTemplate.VersionPublished", "Version {Version} is published and cannot change; edit the template to start a new draft.", ("Version", Number));
    }
}
