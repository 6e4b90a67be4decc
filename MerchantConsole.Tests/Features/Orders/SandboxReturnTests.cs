using MerchantConsole.Features.Orders;

namespace MerchantConsole.Tests.Features.Orders;

public sealed class SandboxReturnTests
{
    [Theory]
    [InlineData("/m/aroma-coffee/orders/1/result", "/m/aroma-coffee/orders/1/result")]
    [InlineData("/m/aroma-coffee/orders?x=1", "/m/aroma-coffee/orders?x=1")]
    [InlineData("//evil.example/steal", null)]
    [InlineData("/\\evil.example", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("/", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void OnlyAPathOnThisSiteIsOfferedAsTheWayBackAfterPaying(string? returnUrl, string? expected) =>
        Assert.Equal(expected, OrdersSetup.LocalReturnUrl(returnUrl));
}
