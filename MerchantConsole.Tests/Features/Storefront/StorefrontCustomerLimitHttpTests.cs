using System.Net;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Storefront;

[Collection(AppCollection.Name)]
public sealed class StorefrontCustomerLimitHttpTests(AppFixture app)
{
    [Fact]
    public async Task TwoTokensOfOneCustomerShareOneRequestBudgetAndTheNextRequestIsAnswered429WithRetryAfter()
    {
        var phone = NewPhone();
        using var phoneA = await SignedInAsync(app, Aroma, phone);
        using var phoneB = await SignedInAsync(app, Aroma, phone);
        Assert.NotEqual(phoneA.DefaultRequestHeaders.Authorization, phoneB.DefaultRequestHeaders.Authorization);
        var limit = app.Factory.Services.GetRequiredService<IOptions<StorefrontOptions>>().Value.RequestsPerMinute;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < limit; i++)
            statuses.Add((await (i % 2 == 0 ? phoneA : phoneB).GetAsync(Url(Aroma, "me/coupons"))).StatusCode);
        var refused = await phoneB.GetAsync(Url(Aroma, "me/coupons"));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("Storefront.TooManyRequests", (await JsonAsync(refused)).GetProperty("code").GetString());
    }
}
