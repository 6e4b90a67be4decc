using System.Security.Cryptography;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// A logo or card background a merchant uploaded. Kept in the database, never in wwwroot. The host creates it
/// only from bytes it decoded and re-encoded itself (the card templates feature's image inspector).
/// </summary>
public sealed class UploadedImage : IMerchantOwned
{
    public const int MaxFileNameLength = 200;
    public const int PublicTokenLength = 32;

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
    /// <summary>
    /// 128 random bits (hex) naming the image in its public address, which wallets such as Google fetch
    /// anonymously. Unguessable, and answered only while a published design uses the image.
    /// </summary>
    public string PublicToken { get; private set; } = "";

    public ImageFacts Facts => new(Width, Height, ByteLength);

    private UploadedImage() { }

    /// <summary>An image from bytes the host already decoded and re-encoded; the file name is clipped, never trusted.</summary>
    /// <param name="contentType">Sniffed from the bytes, never taken from the browser.</param>
    public static UploadedImage Create(string contentType, byte[] bytes, int width, int height, string? fileName, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (bytes is not { Length: > 0 })
            throw new ArgumentException("An image needs its bytes.", nameof(bytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var name = Path.GetFileName(fileName ?? "").Trim();
        return new()
        {
            Id = Guid.NewGuid(),
            ContentType = contentType,
            Bytes = bytes,
            Width = width,
            Height = height,
            ByteLength = bytes.LongLength,
            FileName = name.Length > 0 ? TextLength.Clip(name, MaxFileNameLength) : "image",
            CreatedAt = now,
            PublicToken = NewToken(),
        };
    }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PublicTokenLength / 2));

    /// <summary>A token as <see cref="NewToken"/> writes it; anything else is not looked up at all.</summary>
    public static bool IsWellFormedToken(string? token) =>
        token is { Length: PublicTokenLength } && token.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
