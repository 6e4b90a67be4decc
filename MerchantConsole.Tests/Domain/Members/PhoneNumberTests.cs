using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;

namespace MerchantConsole.Tests.Domain.Members;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData(" 138 0013 8000 ", "13800138000")]
    [InlineData("138-0013-8000", "13800138000")]
    [InlineData("１３８００１３８０００", "13800138000")]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("0086 13800138000", "13800138000")]
    [InlineData("+86 (21) 6288-1234", "+862162881234")]
    [InlineData("+1 (415) 555-0100", "+14155550100")]
    [InlineData("00 44 20 7946 0958", "+442079460958")]
    [InlineData("021-62881234", "02162881234")]
    public void APhoneTypedAnyWayIsStoredInOneForm(string typed, string stored)
    {
        Assert.Equal(stored, PhoneNumber.Normalise(typed));
    }

    [Theory]
    [InlineData("1380013800a")]
    [InlineData("1234")]
    [InlineData("1234567890123456")]
    [InlineData("138+0013")]
    [InlineData("+0123456789")]
    [InlineData("tel:13800138000")]
    public void TextThatIsNoPhoneIsRefusedWithACode(string typed)
    {
        var refusal = Assert.Throws<DomainException>(() => PhoneNumber.Normalise(typed));

        Assert.Equal("Customer.PhoneInvalid", refusal.Refusal.Code);
    }

    [Fact]
    public void ABlankPhoneIsRefusedAsMissing()
    {
        Assert.Equal("Customer.PhoneRequired", Assert.Throws<DomainException>(() => PhoneNumber.Normalise("  ")).Refusal.Code);
    }

    [Fact]
    public void ALongPasteIsRefusedAsTooLongWithoutQuotingItAndAShortOneIsQuotedInPart()
    {
        var tooLong = Assert.Throws<DomainException>(() => PhoneNumber.Normalise(new string('1', 5000)));
        var invalid = Assert.Throws<DomainException>(() => PhoneNumber.Normalise(new string('x', PhoneNumber.MaxTypedLength)));

        Assert.Equal("Customer.PhoneTooLong", tooLong.Refusal.Code);
        Assert.DoesNotContain("Phone", tooLong.Refusal.Arguments.Keys);
        Assert.Equal("Customer.PhoneInvalid", invalid.Refusal.Code);
        Assert.True(((string)invalid.Refusal.Arguments["Phone"]!).Length <= 32);
    }

    [Theory]
    [InlineData("138 0013", "1380013")]
    [InlineData("８８００-１２３４", "88001234")]
    [InlineData("+86 138", "86138")]
    [InlineData("王小明", null)]
    [InlineData("8800 12ab", null)]
    public void ASearchWrittenLikeANumberIsReducedToItsDigits(string search, string? digits)
    {
        Assert.Equal(digits, PhoneNumber.DigitsOf(search));
    }
}
