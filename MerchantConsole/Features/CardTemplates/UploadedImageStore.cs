using System.Linq.Expressions;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>Limits on what merchants may store, and how long an image nobody uses is kept.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";
    /// <summary>Total bytes of one merchant's stored images (after re-encoding).</summary>
    public long MerchantQuotaBytes { get; set; } = 50L * 1024 * 1024;
    /// <summary>An image no saved template version uses is removed once it is this old (an editor may still be open).</summary>
    public TimeSpan UnusedImageRetention { get; set; } = TimeSpan.FromDays(1);
    public string CleanupCron { get; set; } = "17 * * * *";
}

/// <summary>
/// The upload store's work across merchants: the anonymous public read and the clean-up. Both ask the
/// same question, which versions use an image, so it has one home here.
/// </summary>
public sealed class UploadedImageStore(ProviderContextOptions contexts, TimeProvider clock, IOptions<UploadOptions> options,
    ILogger<UploadedImageStore> logger)
{
    public const string CleanupJobId = "unused-image-cleanup";

    /// <summary>
    /// The image behind a public token, only while a published version of its merchant's templates shows
    /// it. The token is the only key: it is unguessable, and nothing else about the merchant is revealed.
    /// </summary>
    public async Task<StoredImage?> FindPublishedAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!UploadedImage.IsWellFormedToken(token))
            return null;
        await using var db = contexts.CreateAcrossMerchants("public image");
        return await db.UploadedImages.AsNoTracking()
            .Where(i => i.PublicToken == token)
            .Where(UsedBy(db, publishedOnly: true))
            .Select(i => new StoredImage(i.ContentType, i.Bytes))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Removes every image older than the retention that no saved version (draft or published) of any
    /// template uses. Hangfire runs it on <see cref="UploadOptions.CleanupCron"/>.
    /// </summary>
    public async Task<int> RemoveUnusedAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow() - options.Value.UnusedImageRetention;
        await using var db = contexts.CreateAcrossMerchants("system · image clean-up");
        // One statement: no gap between finding an image unused and removing it.
        var removed = await db.UploadedImages
            .Where(i => i.CreatedAt < cutoff)
            .Where(Not(UsedBy(db, publishedOnly: false)))
            .ExecuteDeleteAsync(cancellationToken);
        if (removed > 0)
            logger.LogInformation("Removed {Count} uploaded images no card template uses.", removed);
        return removed;
    }

    /// <summary>
    /// Whether a version of its merchant's templates uses the image (or, unless only published uses count, the
    /// merchant's logo). Anything else that comes to point at an upload must be added here, or the clean-up
    /// removes its image.
    /// </summary>
    private static Expression<Func<UploadedImage, bool>> UsedBy(MerchantDbContext db, bool publishedOnly) =>
        i => db.CardTemplates.Any(t => t.MerchantId == i.MerchantId
                && t.Versions.Any(v => (!publishedOnly || v.Status == CardTemplateVersionStatus.Published)
                    && (v.LogoImageId == i.Id || v.BackgroundImageId == i.Id)))
            || (!publishedOnly && db.Merchants.Any(m => m.Id == i.MerchantId && m.LogoImageId == i.Id));

    private static Expression<Func<UploadedImage, bool>> Not(Expression<Func<UploadedImage, bool>> predicate) =>
        Expression.Lambda<Func<UploadedImage, bool>>(Expression.Not(predicate.Body), predicate.Parameters);
}
