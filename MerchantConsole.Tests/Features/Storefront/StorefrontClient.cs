using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Storefront;

/// <summary>Talks to the storefront API of the shared app as a merchant's app would.</summary>
internal static class StorefrontClient
{
    public const string Aroma = "aroma-coffee";
    public const string Orchard = "fresh-orchard";

    public static string Url(string merchantCode, string path) => $"{StorefrontSetup.BasePath}/{merchantCode}/{path}";

    /// <summary>A mainland mobile no other test uses.</summary>
    public static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999);

    public static Task<HttpResponseMessage> RequestCodeAsync(HttpClient client, string merchantCode, string phone) =>
        client.PostAsJsonAsync(Url(merchantCode, "auth/code"), new { phone });

    public static Task<string?> SentCodeAsync(AppFixture app, string merchantCode, string phone) =>
        app.Factory.Services.GetRequiredService<SandboxSmsSender>().LatestCodeAsync(merchantCode, PhoneNumber.Normalise(phone));

    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string merchantCode, string phone, string? code) =>
        client.PostAsJsonAsync(Url(merchantCode, "auth/token"), new { phone, code });

    /// <summary>Signs in end to end (code from the sandbox sender) and returns a client carrying the bearer token.</summary>
    public static async Task<HttpClient> SignedInAsync(AppFixture app, string merchantCode, string phone)
    {
        var client = app.NewClient();
        var sent = await RequestCodeAsync(client, merchantCode, phone);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var token = await RequestTokenAsync(client, merchantCode, phone, await SentCodeAsync(app, merchantCode, phone));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<Guid> MerchantIdAsync(AppFixture app, string code)
    {
        await using var db = app.Factory.CreateUnscopedContext();
        return db.Merchants.Single(m => m.Code == code).Id;
    }

    public static MerchantDbContext ForMerchant(AppFixture app, Guid merchantId) =>
        app.Factory.Services.GetRequiredService<ProviderContextOptions>().CreateForMerchant(merchantId, "test");

    /// <summary>The first FreeSignup channel of the merchant's listed plans.</summary>
    public static async Task<(Guid PlanId, Guid ChannelId)> FreeChannelAsync(HttpClient client, string merchantCode)
    {
        var plans = await client.GetFromJsonAsync<JsonElement>(Url(merchantCode, "plans"));
        foreach (var plan in plans.EnumerateArray())
            foreach (var tier in plan.GetProperty("tiers").EnumerateArray())
                foreach (var channel in tier.GetProperty("channels").EnumerateArray())
                    if (channel.GetProperty("type").GetString() == "FreeSignup")
                        return (plan.GetProperty("id").GetGuid(), channel.GetProperty("id").GetGuid());
        throw new InvalidOperationException($"{merchantCode} lists no FreeSignup channel.");
    }
}
