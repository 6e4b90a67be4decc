using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.CardTemplates;

public sealed record CardTemplateQuery(string? Search, CardTemplateStatus? Status, int Page, int PageSize);

public sealed record CardTemplateRow(Guid Id, string Name, CardTemplateStatus Status, int LatestVersion, DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed record CardTemplatePage(IReadOnlyList<CardTemplateRow> Rows, int Total);

public enum SaveOutcome
{
    Saved,
    Published,
    NotFound,
    /// <summary>Someone else saved since this form was loaded.</summary>
    Conflict,
    Invalid,
    NothingChanged,
    /// <summary>A logo or background id that is not one of this merchant's uploads.</summary>
    UnknownImage,
}

public sealed record SaveResult(SaveOutcome Outcome, Guid? Id = null, Guid? Stamp = null, int? VersionNumber = null,
    IReadOnlyList<DesignError>? Errors = null)
{
    public bool Succeeded => Outcome is SaveOutcome.Saved or SaveOutcome.Published;
}

/// <summary>For <see cref="ImageRefusal.QuotaExceeded"/>, <see cref="QuotaBytes"/> and <see cref="UsedBytes"/> say how full the store is.</summary>
public sealed record UploadResult(ImageRefusal Refusal, Guid? Id = null, ImageFacts? Facts = null, long QuotaBytes = 0, long UsedBytes = 0)
{
    public bool Accepted => Refusal == ImageRefusal.None;
}

public sealed record StoredImage(string ContentType, byte[] Bytes);

/// <summary>
/// Queries and commands for card templates, each on its own context from the scoped factory, so every
/// read and write is confined to the signed-in merchant.
/// </summary>
public sealed class CardTemplateService(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock, IOptions<UploadOptions>? uploadOptions = null)
{
    private readonly UploadOptions _uploads = uploadOptions?.Value ?? new UploadOptions();

    public async Task<CardTemplatePage> ListAsync(CardTemplateQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var templates = db.CardTemplates.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePattern.Containing(query.Search);
            templates = templates.Where(t => EF.Functions.Like(t.Name, pattern, LikePattern.Escape));
        }
        templates = query.Status switch
        {
            CardTemplateStatus.Draft => templates.Where(t => !t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Published)),
            CardTemplateStatus.Published => templates.Where(t => t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Published)
                && !t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Draft)),
            CardTemplateStatus.PublishedWithDraft => templates.Where(t => t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Published)
                && t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Draft)),
            _ => templates,
        };

        var total = await templates.CountAsync(cancellationToken);
        var rows = await templates
            .OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Name)
            .Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .Select(t => new
            {
                t.Id,
                t.Name,
                t.UpdatedAt,
                t.UpdatedBy,
                HasPublished = t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Published),
                HasDraft = t.Versions.Any(v => v.Status == CardTemplateVersionStatus.Draft),
                Latest = t.Versions.Max(v => v.Number),
            })
            .ToListAsync(cancellationToken);
        return new CardTemplatePage(
            [.. rows.Select(r => new CardTemplateRow(r.Id, r.Name,
                !r.HasPublished ? CardTemplateStatus.Draft : r.HasDraft ? CardTemplateStatus.PublishedWithDraft : CardTemplateStatus.Published,
                r.Latest, r.UpdatedAt, r.UpdatedBy))],
            total);
    }

    /// <summary>Null when there is no such template for this merchant (another merchant's id included).</summary>
    public async Task<CardTemplate?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CardTemplates.AsNoTracking().Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CardTemplates.CountAsync(cancellationToken);
    }

    public async Task<SaveResult> CreateAsync(string name, DisplayDesign design, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await RefusalAsync(db, name, design, cancellationToken) is { } refusal)
            return refusal;
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Creating a card template needs a merchant in scope.");
        var template = CardTemplate.Create(merchantId, name, design, Actor(db), clock.GetUtcNow());
        db.CardTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return new SaveResult(SaveOutcome.Saved, template.Id, template.ConcurrencyStamp, template.CurrentDraft!.Number);
    }

    /// <summary>
    /// Saves the form into the template's draft (starting one when only published versions exist).
    /// <paramref name="loadedStamp"/> is the stamp the form was loaded with: if anyone saved since, the
    /// save is refused as a conflict rather than overwriting their work.
    /// </summary>
    public Task<SaveResult> SaveDraftAsync(Guid id, Guid loadedStamp, string name, DisplayDesign design, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, name, design, publish: false, cancellationToken);

    /// <summary>Saves the form as the draft, then publishes that draft as the next version.</summary>
    public Task<SaveResult> PublishAsync(Guid id, Guid loadedStamp, string name, DisplayDesign design, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, loadedStamp, name, design, publish: true, cancellationToken);

    private async Task<SaveResult> ChangeAsync(Guid id, Guid loadedStamp, string name, DisplayDesign design, bool publish, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var template = await db.CardTemplates.Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
            return new SaveResult(SaveOutcome.NotFound);
        if (template.ConcurrencyStamp != loadedStamp)
            return new SaveResult(SaveOutcome.Conflict, id);
        if (await RefusalAsync(db, name, design, cancellationToken) is { } refusal)
            return refusal with { Id = id };

        var by = Actor(db);
        var now = clock.GetUtcNow();
        name = name.Trim();
        var current = (template.CurrentDraft ?? template.LatestPublished)!.Design;
        var changed = false;
        if (template.Name != name)
        {
            template.Rename(name, by, now);
            changed = true;
        }
        if (!current.Equals(design))
        {
            template.SaveDraft(design, by, now);
            changed = true;
        }
        if (publish && template.CurrentDraft is not null)
        {
            template.Publish(by, now);
            changed = true;
        }
        if (!changed)
            return new SaveResult(SaveOutcome.NothingChanged, id, template.ConcurrencyStamp);

        // The stamp the form was loaded with is the one the row must still have. Marking it modified
        // also puts the template row in every save, so a save that touches only a version still
        // checks and renews the stamp.
        var stamp = db.Entry(template).Property(t => t.ConcurrencyStamp);
        stamp.OriginalValue = loadedStamp;
        stamp.IsModified = true;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new SaveResult(SaveOutcome.Conflict, id);
        }
        var version = publish ? template.LatestPublished! : template.CurrentDraft!;
        return new SaveResult(publish ? SaveOutcome.Published : SaveOutcome.Saved, id, template.ConcurrencyStamp, version.Number);
    }

    private static async Task<SaveResult?> RefusalAsync(MerchantDbContext db, string name, DisplayDesign design, CancellationToken cancellationToken)
    {
        IReadOnlyList<DesignError> errors = [.. DisplayDesignValidator.ValidateName(name?.Trim()), .. DisplayDesignValidator.Validate(design)];
        if (errors.Count > 0)
            return new SaveResult(SaveOutcome.Invalid, Errors: errors);
        // The query filter limits this to the merchant's own uploads.
        foreach (var imageId in new[] { design.LogoImageId, design.BackgroundImageId }.OfType<Guid>())
            if (!await db.UploadedImages.AnyAsync(i => i.Id == imageId, cancellationToken))
                return new SaveResult(SaveOutcome.UnknownImage);
        return null;
    }

    /// <summary>
    /// Checks and re-encodes the bytes (<see cref="ImageInspector"/>) and stores the result only when it
    /// is an acceptable image that fits in the merchant's quota.
    /// </summary>
    public async Task<UploadResult> UploadImageAsync(byte[] bytes, string fileName, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var result = await UploadedImages.AddAsync(db, bytes, fileName, _uploads.MerchantQuotaBytes, clock.GetUtcNow(), cancellationToken);
        if (result.Refusal == ImageRefusal.None)
            await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>The public tokens of this merchant's images among <paramref name="ids"/>.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> PublicTokensAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0)
            return new Dictionary<Guid, string>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UploadedImages.Where(i => wanted.Contains(i.Id)).Select(i => new { i.Id, i.PublicToken })
            .ToDictionaryAsync(i => i.Id, i => i.PublicToken, cancellationToken);
    }

    public async Task<StoredImage?> ImageAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UploadedImages.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new StoredImage(i.ContentType, i.Bytes)).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<ImageFacts?> ImageFactsAsync(Guid? id, CancellationToken cancellationToken = default)
    {
        if (id is null)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UploadedImages.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new ImageFacts(i.Width, i.Height, i.ByteLength)).SingleOrDefaultAsync(cancellationToken);
    }

    private static string Actor(MerchantDbContext db) => db.Scope.UserName is { Length: > 0 } name ? name : "system";
}
