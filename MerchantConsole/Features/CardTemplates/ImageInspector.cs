using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MerchantConsole.Features.CardTemplates;

public enum ImageRefusal
{
    None,
    Empty,
    TooLarge,
    NotAnImage,
    UnreadableSize,
    TooManyPixels,
    /// <summary>The file ends before the image does.</summary>
    Truncated,
    /// <summary>Bytes follow the end of the image (a second file appended, a polyglot).</summary>
    TrailingData,
    /// <summary>The header is readable but the picture does not decode.</summary>
    Damaged,
    /// <summary>The merchant's uploads would exceed their quota.</summary>
    QuotaExceeded,
}

/// <summary>
/// What the bytes turned out to be. When accepted, <see cref="Bytes"/> holds the re-encoded image:
/// the only bytes ever stored or served.
/// </summary>
public sealed record ImageInspection(ImageRefusal Refusal, string? ContentType = null, int Width = 0, int Height = 0, byte[]? Bytes = null)
{
    public bool Accepted => Refusal == ImageRefusal.None;
}

/// <summary>
/// Decides what an upload is from its bytes, never from its name or the browser's claim. The file must
/// end exactly where its format says the image ends, its size is read from the header and refused before
/// anything is decoded, then it is decoded in full and encoded afresh in its own format without metadata
/// (EXIF with GPS positions, XMP, IPTC, text chunks), so what is stored is a picture and only a picture.
/// </summary>
public static class ImageInspector
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxMegapixels = 16;
    public const long MaxPixels = MaxMegapixels * 1_000_000L;

    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string WebP = "image/webp";

    // Only the formats we accept can be decoded: nothing else in ImageSharp is reachable from an upload.
    private static readonly Configuration Formats = new(new PngConfigurationModule(), new JpegConfigurationModule(), new WebpConfigurationModule());

    public static ImageInspection Inspect(byte[] bytes)
    {
        if (bytes.Length == 0)
            return new(ImageRefusal.Empty);
        if (bytes.Length > MaxBytes)
            return new(ImageRefusal.TooLarge);

        var (type, end) = Sniff(bytes);
        if (type is null)
            return new(ImageRefusal.NotAnImage);
        if (end != ImageRefusal.None)
            return new(end, type);

        IImageInfo? info;
        try
        {
            info = Image.Identify(Formats, new MemoryStream(bytes, writable: false), out _);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Crafted files make decoders throw anything (a null reference, an index out of range): all mean "unreadable".
            return new(ImageRefusal.UnreadableSize, type);
        }
        if (info is null || info.Width <= 0 || info.Height <= 0)
            return new(ImageRefusal.UnreadableSize, type);
        if ((long)info.Width * info.Height > MaxPixels)
            return new(ImageRefusal.TooManyPixels, type, info.Width, info.Height);

        try
        {
            using var image = Image.Load<Rgba32>(Formats, new MemoryStream(bytes, writable: false), out var format);
            return Reencode(image, type, format);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(ImageRefusal.Damaged, type);
        }
    }

    private static ImageInspection Reencode(Image<Rgba32> image, string type, IImageFormat format)
    {
        // A photo's orientation lives in its EXIF; turn the pixels before the EXIF goes.
        image.Mutate(x => x.AutoOrient());
        // A card shows one picture: the first frame of an animation.
        while (image.Frames.Count > 1)
            image.Frames.RemoveFrame(image.Frames.Count - 1);
        StripMetadata(image);

        IImageEncoder encoder = type switch
        {
            Png => new PngEncoder(),
            Jpeg => new JpegEncoder { Quality = 90 },
            _ => new WebpEncoder
            {
                FileFormat = format is WebpFormat && image.Metadata.GetWebpMetadata().FileFormat == WebpFileFormatType.Lossy
                    ? WebpFileFormatType.Lossy
                    : WebpFileFormatType.Lossless,
                Quality = 90,
            },
        };
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return new(ImageRefusal.None, type, image.Width, image.Height, output.ToArray());
    }

    private static void StripMetadata(Image image)
    {
        image.Metadata.ExifProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IccProfile = null;
        image.Metadata.GetPngMetadata().TextData.Clear();
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.XmpProfile = null;
            frame.Metadata.IccProfile = null;
        }
    }

    /// <summary>The type from the signature, and whether the file ends exactly where the image does.</summary>
    private static (string? Type, ImageRefusal End) Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return (Png, PngEnd(bytes));
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return (Jpeg, JpegEnd(bytes));
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
            return (WebP, WebPEnd(bytes));
        return (null, ImageRefusal.NotAnImage);
    }

    // Chunks (length, type, data, CRC) follow the signature up to IEND, which ends the file.
    private static ImageRefusal PngEnd(ReadOnlySpan<byte> b)
    {
        var i = 8L;
        while (true)
        {
            if (i + 12 > b.Length)
                return ImageRefusal.Truncated;
            var length = BinaryPrimitives.ReadUInt32BigEndian(b[(int)i..]);
            if (length > int.MaxValue)
                return ImageRefusal.Damaged;
            var next = i + 12 + length;
            if (next > b.Length)
                return ImageRefusal.Truncated;
            if (b[(int)(i + 4)..(int)(i + 8)].SequenceEqual("IEND"u8))
                return next == b.Length ? ImageRefusal.None : ImageRefusal.TrailingData;
            i = next;
        }
    }

    // Marker segments, each scan's entropy-coded data (where FF is escaped as FF 00), up to EOI.
    private static ImageRefusal JpegEnd(ReadOnlySpan<byte> b)
    {
        var i = 2;
        while (true)
        {
            if (i + 1 >= b.Length)
                return ImageRefusal.Truncated;
            if (b[i] != 0xFF)
                return ImageRefusal.Damaged;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker == 0xD9)
                return i + 2 == b.Length ? ImageRefusal.None : ImageRefusal.TrailingData;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            if (i + 4 > b.Length)
                return ImageRefusal.Truncated;
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            if (length < 2)
                return ImageRefusal.Damaged;
            i += 2 + length;
            if (i > b.Length)
                return ImageRefusal.Truncated;
            if (marker != 0xDA)
                continue;
            // Entropy-coded data runs to the next marker that is not a restart or an escaped FF.
            while (true)
            {
                if (i + 1 >= b.Length)
                    return ImageRefusal.Truncated;
                if (b[i] == 0xFF && b[i + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))
                    break;
                i += b[i] == 0xFF && b[i + 1] != 0xFF ? 2 : 1;
            }
        }
    }

    // The RIFF header states the file's length; every chunk inside must fit in it.
    private static ImageRefusal WebPEnd(ReadOnlySpan<byte> b)
    {
        var end = 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        if (end < b.Length)
            return ImageRefusal.TrailingData;
        if (end > b.Length)
            return ImageRefusal.Truncated;
        var i = 12L;
        while (i < end)
        {
            if (i + 8 > end)
                return ImageRefusal.Truncated;
            var size = BinaryPrimitives.ReadUInt32LittleEndian(b[(int)(i + 4)..]);
            i += 8L + size + (size & 1);
            if (i > end)
                return ImageRefusal.Truncated;
        }
        return ImageRefusal.None;
    }
}
