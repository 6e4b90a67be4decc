using System.Text;
using MerchantConsole.Features.CardTemplates;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using static MerchantConsole.Tests.Features.CardTemplates.TestImages;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class ImageInspectorTests
{
    [Fact]
    public void APngIsRecognisedWithItsSize()
    {
        var inspection = ImageInspector.Inspect(Png(716, 320));

        Assert.True(inspection.Accepted);
        Assert.Equal("image/png", inspection.ContentType);
        Assert.Equal((716, 320), (inspection.Width, inspection.Height));
    }

    [Theory]
    [InlineData(Format.Png, "image/png")]
    [InlineData(Format.Jpeg, "image/jpeg")]
    [InlineData(Format.WebPLossless, "image/webp")]
    [InlineData(Format.WebPLossy, "image/webp")]
    public void AnImageIsDecodedAndEncodedAfreshInItsOwnFormat(Format format, string contentType)
    {
        var upload = Encoded(format, 64, 48);

        var inspection = ImageInspector.Inspect(upload);

        Assert.True(inspection.Accepted, inspection.Refusal.ToString());
        Assert.Equal((contentType, 64, 48), (inspection.ContentType, inspection.Width, inspection.Height));
        Assert.NotNull(inspection.Bytes);
        using var stored = Image.Load(inspection.Bytes, out var storedFormat);
        Assert.Equal(contentType, storedFormat.DefaultMimeType);
        Assert.Equal((64, 48), (stored.Width, stored.Height));
    }

    [Fact]
    public void ExifWithAGpsPositionIsNotInTheStoredImage()
    {
        var photo = Encoded(Format.Jpeg, decorate: image =>
        {
            var exif = new ExifProfile();
            exif.SetValue(ExifTag.Make, "SpyCam");
            exif.SetValue(ExifTag.GPSLatitudeRef, "N");
            exif.SetValue(ExifTag.GPSLatitude, [new Rational(31, 1), new Rational(14, 1), new Rational(0, 1)]);
            image.Metadata.ExifProfile = exif;
        });
        using (var original = Image.Load(photo))
            Assert.NotNull(original.Metadata.ExifProfile);
        Assert.Contains("SpyCam", Encoding.ASCII.GetString(photo));

        var inspection = ImageInspector.Inspect(photo);

        Assert.True(inspection.Accepted, inspection.Refusal.ToString());
        using var stored = Image.Load(inspection.Bytes!);
        Assert.Null(stored.Metadata.ExifProfile);
        Assert.DoesNotContain("SpyCam", Encoding.ASCII.GetString(inspection.Bytes!));
    }

    [Theory]
    [InlineData(Format.Png)]
    [InlineData(Format.Jpeg)]
    [InlineData(Format.WebPLossless)]
    [InlineData(Format.WebPLossy)]
    public void ATruncatedImageIsRefused(Format format)
    {
        var whole = Encoded(format, 64, 48);

        var inspection = ImageInspector.Inspect(whole[..(whole.Length - 20)]);

        Assert.Equal(ImageRefusal.Truncated, inspection.Refusal);
        Assert.Null(inspection.Bytes);
    }

    [Theory]
    [InlineData(Format.Png)]
    [InlineData(Format.Jpeg)]
    [InlineData(Format.WebPLossless)]
    [InlineData(Format.WebPLossy)]
    public void AnImageWithDataAfterItsEndIsRefused(Format format)
    {
        var polyglot = Encoded(format, 64, 48).Concat(Encoding.ASCII.GetBytes("<script>alert(1)</script>")).ToArray();

        var inspection = ImageInspector.Inspect(polyglot);

        Assert.Equal(ImageRefusal.TrailingData, inspection.Refusal);
        Assert.Null(inspection.Bytes);
    }

    [Fact]
    public void AnImageOverSixteenMegapixelsIsRefusedFromItsHeaderWithoutDecoding()
    {
        // 4000 × 4001 is 16.004 megapixels with both sides under 4096; the pixel data is a single row,
        // so only a check made on the header, before decoding, can answer "too many pixels".
        var inspection = ImageInspector.Inspect(PngClaiming(4000, 4001));

        Assert.Equal(ImageRefusal.TooManyPixels, inspection.Refusal);
        Assert.Equal((4000, 4001), (inspection.Width, inspection.Height));
    }

    [Fact]
    public void AJpegWithoutPixelsIsRefusedAsDamaged()
    {
        // Signature, JFIF, frame header and end of image, but no scan: the decoder fails inside (a null reference).
        Assert.Equal(ImageRefusal.Damaged, ImageInspector.Inspect(Jpeg(640, 480)).Refusal);
    }

    [Fact]
    public void ATextFileIsRefusedWhateverItIsCalled()
    {
        var inspection = ImageInspector.Inspect(Text("<svg onload=alert(1)>not an image</svg>"));

        Assert.False(inspection.Accepted);
        Assert.Equal(ImageRefusal.NotAnImage, inspection.Refusal);
        Assert.Null(inspection.ContentType);
    }

    [Fact]
    public void MoreThanTwoMebibytesIsRefused()
    {
        Assert.Equal(ImageRefusal.TooLarge, ImageInspector.Inspect(PngOfLength(ImageInspector.MaxBytes + 1)).Refusal);
    }

    [Fact]
    public void ExactlyTwoMebibytesIsAccepted()
    {
        var atLimit = PngOfLength(ImageInspector.MaxBytes);
        Assert.Equal(ImageInspector.MaxBytes, atLimit.Length);

        var inspection = ImageInspector.Inspect(atLimit);

        Assert.True(inspection.Accepted, inspection.Refusal.ToString());
        // The padding chunk is not part of the picture, so it is not stored.
        Assert.True(inspection.Bytes!.Length < 1024);
    }

    [Fact]
    public void APngSignatureWithoutAHeaderChunkIsRefusedAsTruncated()
    {
        byte[] truncated = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

        Assert.Equal(ImageRefusal.Truncated, ImageInspector.Inspect(truncated).Refusal);
    }

    [Fact]
    public void AnEmptyFileIsRefused() =>
        Assert.Equal(ImageRefusal.Empty, ImageInspector.Inspect([]).Refusal);

    [Fact]
    public void TheDecodersAreLimitedToTheAcceptedFormats()
    {
        using var gif = new Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(4, 4);
        using var output = new MemoryStream();
        gif.SaveAsGif(output);

        Assert.Equal(ImageRefusal.NotAnImage, ImageInspector.Inspect(output.ToArray()).Refusal);
    }
}
