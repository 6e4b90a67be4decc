using System.Net;
using System.Text;
using MerchantConsole.Data;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Tests.Features.Hosted;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Storefront;

/// <summary>The plan list is kept per merchant for a few seconds; nothing of a customer is in it.</summary>
[Collection(AppCollection.Name)]
public sealed class StorefrontPlansCacheTests(AppFixture app)
{
    [Fact]
    public async Task APlanActivatedWhileTheListIsCachedShowsOnceTheCacheTimeHasPassed()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(await MerchantIdAsync(app, Aroma), "tester");
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new StorefrontPlansCache(scope.ServiceProvider.GetRequiredService<StorefrontQueries>(), memory, clock,
            scope.ServiceProvider.GetRequiredService<MerchantScope>(), scope.ServiceProvider.GetRequiredService<IOptions<JsonOptions>>());

        var before = Encoding.UTF8.GetString(await cache.PlansJsonAsync(CancellationToken.None));
        var plan = await HostedSite.PlanAsync(app);
        clock.Advance(StorefrontPlansCache.CacheTime - TimeSpan.FromMilliseconds(1));
        var stillCached = Encoding.UTF8.GetString(await cache.PlansJsonAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = Encoding.UTF8.GetString(await cache.PlansJsonAsync(CancellationToken.None));

        Assert.DoesNotContain(plan.PlanId.ToString(), before);
        Assert.Equal(before, stillCached);
        Assert.Contains(plan.PlanId.ToString(), after);
        Assert.Contains(plan.PlanName, after);
    }

    [Fact]
    public async Task TheCachedListIsTheSameJsonForAnonymousAndSignedInCustomersAndCarriesNoCookie()
    {
        using var anonymous = app.NewClient();
        using var customer = await SignedInAsync(app, Aroma, NewPhone());

        using var first = await anonymous.GetAsync(Url(Aroma, "plans"));
        using var signedIn = await customer.GetAsync(Url(Aroma, "plans"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await signedIn.Content.ReadAsStringAsync());
        Assert.False(signedIn.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("\"phone\"", await signedIn.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task APhoneOfTwoThousandEmojiIsRefusedAsTooLongWithoutEchoingIt()
    {
        using var client = app.NewClient();
        var emoji = string.Concat(Enumerable.Repeat("😀", 2_000));

        using var response = await RequestCodeAsync(client, Aroma, emoji);
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Customer.PhoneTooLong", problem.GetProperty("code").GetString());
        Assert.DoesNotContain("😀", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("😀", problem.GetProperty("errors").GetProperty("phone")[0].GetString());
    }

    [Fact]
    public void AProblemRepeatsALongArgumentCutToItsFirstCharacters()
    {
        var refusal = MerchantConsole.Domain.Common.Refusal.Of("Any.Thing", "'{Text}' is not right ({Max}).", ("Text", string.Concat(Enumerable.Repeat("👍", 1_000))), ("Max", 5));

        var shortened = StorefrontProblems.Shortened(refusal);

        var text = Assert.IsType<string>(shortened.Arguments["Text"]);
        Assert.True(text.Length <= StorefrontProblems.MaxEchoedLength + 1, text);
        Assert.EndsWith("👍…", text);
        Assert.Equal(5, shortened.Arguments["Max"]);
    }
}
