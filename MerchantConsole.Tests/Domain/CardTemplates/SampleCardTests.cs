using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class SampleCardTests
{
    [Fact]
    public void PresetsCoverANewMemberARegularMemberAndTheLongestValues()
    {
        Assert.Equal([SampleCard.NewMember, SampleCard.Regular, SampleCard.Longest], SampleCard.Presets);
        Assert.Null(SampleCard.NewMember.ExpiresOn);
        Assert.True(SampleCard.Longest.TierName.Length > PlatformLimits.GoogleTierNameMax);
    }

    [Theory]
    [InlineData(CellValueSource.CardNumber, "8800 1234 5678")]
    [InlineData(CellValueSource.MemberName, "韩梅梅")]
    [InlineData(CellValueSource.Tier, "金卡")]
    [InlineData(CellValueSource.Points, "2,680")]
    [InlineData(CellValueSource.Balance, "CNY 128.00")]
    [InlineData(CellValueSource.Expiry, "2027-12-31")]
    public void EachSourceShowsTheCardsValue(CellValueSource source, string expected) =>
        Assert.Equal(expected, SampleCard.Regular.Display(source));

    [Fact]
    public void ACardThatNeverExpiresSaysSo() =>
        Assert.Equal(SampleCard.NeverExpires, SampleCard.NewMember.Display(CellValueSource.Expiry));

    [Fact]
    public void AFixedTextCellShowsItsTextAndOtherCellsShowTheCardsValue()
    {
        Assert.Equal("静安店", SampleCard.Regular.Display(new CustomCell("门店", CellValueSource.FixedText, "静安店")));
        Assert.Equal("韩梅梅", SampleCard.Regular.Display(new CustomCell("会员", CellValueSource.MemberName, "ignored")));
    }

    [Fact]
    public void AShownFieldShowsTheMatchingValue()
    {
        Assert.Equal("金卡", SampleCard.Regular.Display(ShownFields.Tier));
        Assert.Equal("CNY 128.00", SampleCard.Regular.Display(ShownFields.Balance));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleCard.Regular.Display(ShownFields.Tier | ShownFields.Points));
    }

    [Fact]
    public void ShownFieldsAreListedInCardFaceOrder() =>
        Assert.Equal([ShownFields.CardNumber, ShownFields.Points, ShownFields.Expiry],
            CardFace.Each(ShownFields.Expiry | ShownFields.CardNumber | ShownFields.Points));
}
