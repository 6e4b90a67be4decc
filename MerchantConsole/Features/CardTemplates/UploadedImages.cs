using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>Stores what <see cref="ImageInspector"/> accepted: the domain entity takes plain values, this maps the inspection to them.</summary>
public static class UploadedImages
{
    extension(UploadedImage)
    {
        /// <summary>An image from an accepted inspection; a refused one (no re-encoded bytes) cannot be stored.</summary>
        public static UploadedImage From(ImageInspection inspection, string? fileName, DateTimeOffset now)
        {
            var bytes = inspection.Bytes ?? throw new ArgumentException("Only an accepted, re-encoded image can be stored.", nameof(inspection));
            return UploadedImage.Create(inspection.ContentType!, bytes, inspection.Width, inspection.Height, fileName, now);
        }
    }

    /// <summary>
    /// The one way an upload is stored (card images, merchant logos): the merchant's quota, then inspection and
    /// re-encoding. An accepted image is added to <paramref name="db"/>, whose scope names the merchant; the caller
    /// saves it together with whatever refers to it.
    /// </summary>
    public static async Task<UploadResult> AddAsync(MerchantDbContext db, byte[] bytes, string? fileName, long quota, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        // The query filter makes this the merchant's own total.
        var used = await db.UploadedImages.SumAsync(i => (long?)i.ByteLength, cancellationToken) ?? 0;
        if (used >= quota)
            return new UploadResult(ImageRefusal.QuotaExceeded, QuotaBytes: quota, UsedBytes: used);

        // Decoding is CPU work; keep it off the circuit's thread.
        var inspection = await Task.Run(() => ImageInspector.Inspect(bytes), cancellationToken);
        if (!inspection.Accepted)
            return new UploadResult(inspection.Refusal);
        if (used + inspection.Bytes!.LongLength > quota)
            return new UploadResult(ImageRefusal.QuotaExceeded, QuotaBytes: quota, UsedBytes: used);

        var image = UploadedImage.From(inspection, fileName, now);
        db.UploadedImages.Add(image);
        return new UploadResult(ImageRefusal.None, image.Id, image.Facts);
    }
}
