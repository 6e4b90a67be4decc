using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class UploadedImageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnImageKeepsItsFactsAndOnlyTheLastPartOfItsFileNameAndGetsAWellFormedPublicToken()
    {
        var image = UploadedImage.Create("image/png", [1, 2, 3], 4, 5, "../../secret/logo.png", Now);

        Assert.Equal(("image/png", 3L, "logo.png", Now), (image.ContentType, image.ByteLength, image.FileName, image.CreatedAt));
        Assert.Equal(new ImageFacts(4, 5, 3), image.Facts);
        Assert.True(UploadedImage.IsWellFormedToken(image.PublicToken));
    }

    [Fact]
    public void AnImageWithoutANameIsCalledImage() =>
        Assert.Equal("image", UploadedImage.Create("image/png", [1], 1, 1, "  ", Now).FileName);

    [Fact]
    public void AnImageNeedsBytesAContentTypeAndASize()
    {
        Assert.Throws<ArgumentException>(() => UploadedImage.Create("image/png", [], 1, 1, "a.png", Now));
        Assert.Throws<ArgumentException>(() => UploadedImage.Create(" ", [1], 1, 1, "a.png", Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => UploadedImage.Create("image/png", [1], 0, 1, "a.png", Now));
    }
}
