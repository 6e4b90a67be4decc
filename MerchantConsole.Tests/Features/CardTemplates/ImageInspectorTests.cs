using MerchantConsole.Features.CardTemplates;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class ImageInspectorTests
{
    [Fact]
    public void APngIsRecognisedWithItsSize()
    {
        var inspection = ImageInspector.Inspect(TestImages.Png(716, 320));

        Assert.True(inspection.Accepted);
        Assert.Equal("image/png", inspection.ContentType);
        Assert.Equal((716, 320), (inspection.Width, inspection.Height));
    }

    [Fact]
    public void AJpegIsRecognisedWithItsSizeFromTheFrameHeader()
    {
        var inspection = ImageInspector.Inspect(TestImages.Jpeg(640, 480));

        Assert.True(inspection.Accepted);
        Assert.Equal("image/jpeg", inspection.ContentType);
        Assert.Equal((640, 480), (inspection.Width, inspection.Height));
    }

    [Fact]
    public void LosslessAndLossyWebPAreRecognisedWithTheirSizes()
    {
        var lossless = ImageInspector.Inspect(TestImages.WebPLossless(300, 200));
        var lossy = ImageInspector.Inspect(TestImages.WebPLossy(120, 90));

        Assert.Equal(("image/webp", 300, 200), (lossless.ContentType, lossless.Width, lossless.Height));
        Assert.Equal(("image/webp", 120, 90), (lossy.ContentType, lossy.Width, lossy.Height));
    }

    [Fact]
    public void ATextFileIsRefusedWhateverItIsCalled()
    {
        var inspection = ImageInspector.Inspect(TestImages.Text("<svg onload=alert(1)>not an image</svg>"));

        Assert.False(inspection.Accepted);
        Assert.Equal(ImageRefusal.NotAnImage, inspection.Refusal);
        Assert.Null(inspection.ContentType);
    }

    [Fact]
    public void MoreThanTwoMebibytesIsRefused()
    {
        var png = TestImages.Png(2, 2);
        var tooBig = new byte[ImageInspector.MaxBytes + 1];
        png.CopyTo(tooBig, 0);

        Assert.Equal(ImageRefusal.TooLarge, ImageInspector.Inspect(tooBig).Refusal);
    }

    [Fact]
    public void ExactlyTwoMebibytesIsAccepted()
    {
        var png = TestImages.Png(2, 2);
        var atLimit = new byte[ImageInspector.MaxBytes];
        png.CopyTo(atLimit, 0);

        Assert.True(ImageInspector.Inspect(atLimit).Accepted);
    }

    [Theory]
    [InlineData(4097, 10)]
    [InlineData(10, 5000)]
    public void AnImageWiderOrTallerThan4096PixelsIsRefused(int width, int height)
    {
        var header = TestImages.Png(1, 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(20), height);

        Assert.Equal(ImageRefusal.TooManyPixels, ImageInspector.Inspect(header).Refusal);
    }

    [Fact]
    public void APngSignatureWithoutAHeaderChunkIsRefusedAsUnreadable()
    {
        byte[] truncated = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

        Assert.Equal(ImageRefusal.UnreadableSize, ImageInspector.Inspect(truncated).Refusal);
    }

    [Fact]
    public void AnEmptyFileIsRefused() =>
        Assert.Equal(ImageRefusal.Empty, ImageInspector.Inspect([]).Refusal);
}
