using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Merchants;

namespace MerchantConsole.Tests.Domain.Merchants;

public sealed class MerchantTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AMerchantTakesAnotherCurrencyAndALogo()
    {
        var merchant = Merchant.Create("Tea", "tea", "Asia/Shanghai", "CNY", Now);
        var logo = Guid.NewGuid();

        merchant.ChangeCurrency("USD");
        merchant.ChangeLogo(logo);

        Assert.Equal("USD", merchant.DefaultCurrency);
        Assert.Equal(logo, merchant.LogoImageId);
        merchant.ChangeLogo(null);
        Assert.Null(merchant.LogoImageId);
    }

    [Theory]
    [InlineData("", "tea", "Asia/Shanghai", "CNY", "Merchant.NameInvalid")]
    [InlineData("Tea", "Tea House", "Asia/Shanghai", "CNY", "Merchant.CodeInvalid")]
    [InlineData("Tea", "tea", "Nowhere/City", "CNY", "Merchant.TimeZoneUnknown")]
    [InlineData("Tea", "tea", "Asia/Shanghai", "rmb", "Merchant.CurrencyInvalid")]
    public void AnInvalidMerchantIsRefusedWithACode(string name, string code, string zone, string currency, string expected)
    {
        var refusal = Assert.Throws<DomainException>(() => Merchant.Create(name, code, zone, currency, Now));

        Assert.Equal(expected, refusal.Refusal.Code);
    }

    [Fact]
    public void AnEmptyLogoIdIsRefused()
    {
        var merchant = Merchant.Create("Tea", "tea", "Asia/Shanghai", "CNY", Now);

        Assert.Equal("Merchant.LogoInvalid", Assert.Throws<DomainException>(() => merchant.ChangeLogo(Guid.Empty)).Refusal.Code);
    }
}
