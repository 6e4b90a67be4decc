using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>
/// A logo or card background a merchant uploaded. Kept in the database, never in wwwroot, and only
/// ever created from bytes <see cref="ImageInspector"/> accepted.
/// </summary>
public sealed class UploadedImage : IMerchantOwned
{
    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    /// <summary>Sniffed from the bytes, never taken from the browser.</summary>
    public string ContentType { get; private set; } = "";
    public byte[] Bytes { get; private set; } = [];
    public int Width { get; private set; }
    public int Height { get; private set; }
    public long ByteLength { get; private set; }
    /// <summary>As the uploader named it; shown to staff only.</summary>
    public string FileName { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public ImageFacts Facts => new(Width, Height, ByteLength);

    private UploadedImage() { }

    internal static UploadedImage From(ImageInspection inspection, byte[] bytes, string fileName, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        ContentType = inspection.ContentType!,
        Bytes = bytes,
        Width = inspection.Width,
        Height = inspection.Height,
        ByteLength = bytes.LongLength,
        FileName = Path.GetFileName(fileName ?? "").Trim() is { Length: > 0 } name ? name[..Math.Min(name.Length, 200)] : "image",
        CreatedAt = now,
    };
}
