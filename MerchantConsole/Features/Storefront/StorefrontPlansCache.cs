using System.Text.Json;
using MerchantConsole.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Storefront;

/// <summary>
/// The storefront's plan list as the JSON it answers, kept per merchant for <see cref="CacheTime"/>: every customer of a
/// merchant asks for the same list (it holds nothing of theirs — Active plans, tiers, channels, products, benefits in force
/// and the activity feed), and reading it is several queries. A plan activated, changed or suspended shows within that
/// time. Customer-specific answers (memberships, coupons, orders) are never cached.
/// </summary>
public sealed class StorefrontPlansCache(StorefrontQueries queries, IMemoryCache cache, TimeProvider clock, MerchantScope scope,
    IOptions<JsonOptions> json)
{
    /// <summary>How long one merchant's plan list is reused (as <c>HostedQueries.GuideCacheTime</c> for the guide page).</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(5);

    private sealed record Entry(byte[] Json, DateTimeOffset FreshUntil);

    /// <summary>The merchant in scope's plan list as UTF-8 JSON.</summary>
    public async Task<byte[]> PlansJsonAsync(CancellationToken ct)
    {
        var merchantId = scope.MerchantId ?? throw new InvalidOperationException("The storefront reads plans in a merchant's scope.");
        var key = ("storefront-plans", merchantId);
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out Entry? entry) && entry!.FreshUntil > now)
            return entry.Json;
        var plans = await queries.PlansAsync(null, ct);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(plans, json.Value.SerializerOptions);
        // Freshness is judged by the app's clock; the cache's own expiry only frees a merchant nobody asks about.
        cache.Set(key, new Entry(bytes, now + CacheTime), TimeSpan.FromMinutes(1));
        return bytes;
    }
}
