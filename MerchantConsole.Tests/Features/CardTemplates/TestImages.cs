using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace MerchantConsole.Tests.Features.CardTemplates;

/// <summary>
/// Images for upload tests: small ones built byte by byte, so the tests know exactly what the inspector
/// sees, and real encodings made by ImageSharp.
/// </summary>
public static class TestImages
{
    /// <summary>A complete, decodable PNG of one colour (8-bit RGB, CRCs and zlib data included).</summary>
    public static byte[] Png(int width, int height, byte r = 0x8B, byte g = 0x5A, byte b = 0x2B) => Png(width, height, r, g, b, padding: 0);

    /// <summary>A complete PNG made exactly <paramref name="length"/> bytes long by a private ancillary chunk.</summary>
    public static byte[] PngOfLength(int length)
    {
        var plain = Png(2, 2);
        return Png(2, 2, 0x8B, 0x5A, 0x2B, padding: length - plain.Length - 12);
    }

    /// <summary>
    /// A PNG whose header (with valid CRCs) claims <paramref name="width"/>×<paramref name="height"/> but
    /// whose pixel data is one row: only a reader that stops at the header sees a sensible image.
    /// </summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(output, "IHDR", Header(width, height));
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(new byte[1 + 3]);
        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    public enum Format { Png, Jpeg, WebPLossless, WebPLossy }

    /// <summary>A gradient encoded by ImageSharp, after <paramref name="decorate"/> had its say (metadata, say).</summary>
    public static byte[] Encoded(Format format, int width = 64, int height = 48, Action<Image>? decorate = null)
    {
        using var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[x, y] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), 0x80);
        decorate?.Invoke(image);
        IImageEncoder encoder = format switch
        {
            Format.Png => new PngEncoder(),
            Format.Jpeg => new JpegEncoder(),
            Format.WebPLossless => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            _ => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
        };
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }

    private static byte[] Header(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        return header;
    }

    private static byte[] Png(int width, int height, byte r, byte g, byte b, int padding)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(output, "IHDR", Header(width, height));
        if (padding > 0)
            Chunk(output, "prVt", new byte[padding]);

        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
                raw.Write([r, g, b]);
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw.ToArray());
        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>SOI, a JFIF APP0 segment, a baseline SOF0 frame header with the size, then EOI.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);
        output.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        var frame = new byte[] { 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00 };
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(7), (ushort)width);
        output.Write(frame);
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    /// <summary>A lossless (VP8L) WebP header: signature byte then 14-bit width-1 and height-1.</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var bits = (uint)(width - 1) | (uint)(height - 1) << 14;
        var payload = new byte[5];
        payload[0] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), bits);
        return Riff("VP8L", payload);
    }

    /// <summary>A lossy (VP8) WebP header: frame tag, start code 9D 01 2A, 14-bit width and height.</summary>
    public static byte[] WebPLossy(int width, int height)
    {
        var payload = new byte[10];
        payload[3] = 0x9D;
        payload[4] = 0x01;
        payload[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(8), (ushort)height);
        return Riff("VP8 ", payload);
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Riff(string chunk, byte[] payload)
    {
        using var output = new MemoryStream();
        output.Write("RIFF"u8);
        var size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, 4 + 8 + payload.Length);
        output.Write(size);
        output.Write("WEBP"u8);
        output.Write(Encoding.ASCII.GetBytes(chunk));
        BinaryPrimitives.WriteInt32LittleEndian(size, payload.Length);
        output.Write(size);
        output.Write(payload);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
