using System.Buffers.Binary;

namespace MerchantConsole.Features.CardTemplates;

public enum ImageRefusal
{
    None,
    Empty,
    TooLarge,
    NotAnImage,
    UnreadableSize,
    TooManyPixels,
}

/// <summary>What the bytes turned out to be; <see cref="ContentType"/> is null when refused.</summary>
public sealed record ImageInspection(ImageRefusal Refusal, string? ContentType = null, int Width = 0, int Height = 0)
{
    public bool Accepted => Refusal == ImageRefusal.None;
}

/// <summary>
/// Decides what an upload is from its first bytes, never from its name or the browser's claim, and
/// reads the picture size from the header so absurd images are refused before anything is stored.
/// </summary>
public static class ImageInspector
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxSide = 4096;

    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string WebP = "image/webp";

    public static ImageInspection Inspect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return new(ImageRefusal.Empty);
        if (bytes.Length > MaxBytes)
            return new(ImageRefusal.TooLarge);

        (string Type, int Width, int Height)? found;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            found = PngSize(bytes);
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            found = JpegSize(bytes);
        else if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
            found = WebPSize(bytes);
        else
            return new(ImageRefusal.NotAnImage);

        if (found is not { } image || image.Width <= 0 || image.Height <= 0)
            return new(ImageRefusal.UnreadableSize);
        if (image.Width > MaxSide || image.Height > MaxSide)
            return new(ImageRefusal.TooManyPixels, image.Type, image.Width, image.Height);
        return new(ImageRefusal.None, image.Type, image.Width, image.Height);
    }

    // The IHDR chunk must come first: length, "IHDR", width, height (big-endian).
    private static (string, int, int)? PngSize(ReadOnlySpan<byte> b)
    {
        if (b.Length < 24 || !b[12..16].SequenceEqual("IHDR"u8))
            return null;
        return (Png, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(b[16..]), int.MaxValue),
            (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(b[20..]), int.MaxValue));
    }

    // Walks the marker segments up to the first start-of-frame, which holds the size.
    private static (string, int, int)? JpegSize(ReadOnlySpan<byte> b)
    {
        var i = 2;
        while (i + 4 <= b.Length)
        {
            if (b[i] != 0xFF)
                return null;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            if (marker is 0xD9 or 0xDA)
                return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            if (length < 2)
                return null;
            var isFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrame)
            {
                if (i + 9 > b.Length)
                    return null;
                return (Jpeg, BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]));
            }
            i += 2 + length;
        }
        return null;
    }

    // The first chunk after "WEBP" says which of the three encodings it is, each with its own size field.
    private static (string, int, int)? WebPSize(ReadOnlySpan<byte> b)
    {
        if (b.Length < 25)
            return null;
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (b.Length < 30 || b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A)
                return null;
            return (WebP, BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (b[20] != 0x2F)
                return null;
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return (WebP, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8) && b.Length >= 30)
            return (WebP, (b[24] | b[25] << 8 | b[26] << 16) + 1, (b[27] | b[28] << 8 | b[29] << 16) + 1);
        return null;
    }
}
