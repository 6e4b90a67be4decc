using MerchantConsole.Domain.CardTemplates;

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
}
