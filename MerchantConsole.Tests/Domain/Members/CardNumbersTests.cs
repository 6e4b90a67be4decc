using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;

namespace MerchantConsole.Tests.Domain.Members;

public sealed class CardNumbersTests
{
    [Fact]
    public void GeneratedNumbersHaveThePrefixTheLengthAndAValidCheckDigit()
    {
        var numbers = Enumerable.Range(0, 1000).Select(_ => CardNumbers.Generate()).ToList();

        Assert.All(numbers, n =>
        {
            Assert.Equal(CardNumbers.Length, n.Length);
            Assert.StartsWith(CardNumbers.Prefix, n);
            Assert.True(n.All(char.IsAsciiDigit));
            Assert.True(CardNumbers.IsValid(n), n);
        });
        Assert.True(numbers.Distinct().Count() > 990, "Numbers are drawn from a billion; a thousand draws barely ever repeat.");
    }

    [Fact]
    public void AMistypedDigitIsCaughtByTheCheckDigit()
    {
        var number = CardNumbers.Generate();
        var wrong = number[..5] + (char)('0' + (number[5] - '0' + 1) % 10) + number[6..];

        Assert.False(CardNumbers.IsValid(wrong));
        Assert.Equal("Membership.CardNumberInvalid", Assert.Throws<DomainException>(() => CardNumbers.Normalise(wrong)).Refusal.Code);
    }

    [Fact]
    public void ATypedOrScannedNumberIsNormalisedAndShownInGroupsOfFour()
    {
        var number = "88001234567" + CardNumbers.CheckDigit("88001234567");

        Assert.Equal(number, CardNumbers.Normalise($" {number[..4]} {number[4..8]}-{number[8..]} "));
        Assert.Equal($"{number[..4]} {number[4..8]} {number[8..]}", CardNumbers.Display(number));
    }

    [Fact]
    public void TheCheckDigitIsLuhns()
    {
        // 7992739871 is the textbook Luhn example; its check digit is 3.
        Assert.Equal('3', CardNumbers.CheckDigit("7992739871"));
    }
}
