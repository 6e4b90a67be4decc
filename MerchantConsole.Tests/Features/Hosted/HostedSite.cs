using System.Net;
using System.Text.RegularExpressions;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Hosted;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Hosted;

/// <summary>An Active plan of a merchant: Gold sold by a Purchase channel, Silver free (FreeSignup) and at one store (StoreQr).</summary>
internal sealed record HostedPlan(string MerchantCode, Guid MerchantId, Guid PlanId, string PlanName, Guid ProductId, Guid FreeChannelId,
    Guid StoreChannelId, string StoreCode, string CardTitle);

/// <summary>Uses the hosted pages as a phone's browser would: plain GETs and form posts with the antiforgery token.</summary>
internal static partial class HostedSite
{
    public const long Price = 19_900;

    public static async Task<HostedPlan> PlanAsync(AppFixture app, string merchantCode = Aroma, int? stock = 10)
    {
        var merchantId = await MerchantIdAsync(app, merchantCode);
        await using var db = ForMerchant(app, merchantId);
        var cardVersion = await db.MembershipPlans.Where(p => p.CardTemplateVersionId != null).Select(p => p.CardTemplateVersionId!.Value).FirstAsync();
        var cardTitle = await db.CardTemplates.SelectMany(t => t.Versions).Where(v => v.Id == cardVersion).Select(v => v.Design.Title).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var plan = MembershipPlan.Create(merchantId, "Hosted club " + suffix, "Coffee for members", "CNY", now);
        plan.ChooseCardTemplateVersion(cardVersion, now);
        var gold = plan.AddTier("Gold", "#FFD700", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var silver = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var purchase = plan.AddChannel(gold.Id, JoinChannelType.Purchase, null, null, null, now);
        var product = plan.AddProduct(purchase.Id, "Gold yearly", new Money(Price, "CNY"), 1, DurationUnit.Years, stock, null, RenewalRule.ManualRenewal, now);
        var free = plan.AddChannel(silver.Id, JoinChannelType.FreeSignup, null, null, null, now);
        var storeCode = "S-" + suffix;
        var store = plan.AddChannel(silver.Id, JoinChannelType.StoreQr, null, null, storeCode, now);
        plan.BeginActivation(now);
        plan.MarkProductsPending(now);
        plan.MarkActive(now);
        plan.MarkProductsActive(now);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return new HostedPlan(merchantCode, merchantId, plan.Id, plan.Name, product.Id, free.Id, store.Id, storeCode, cardTitle);
    }

    public static HttpClient Client(AppFixture app, string language)
    {
        var client = app.NewClient(new CookieContainer());
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    public static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string Token(string html) => AppFixture.AntiforgeryField().Match(html) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>Posts a form of <paramref name="pageHtml"/> (its token) with the fields given.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string pageHtml, params (string Name, string Value)[] fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(
            fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", Token(pageHtml)))));

    /// <summary>Signs in through the hosted forms (the code from the sandbox SMS sender); the client then carries the customer cookie.</summary>
    public static async Task SignInAsync(AppFixture app, HttpClient client, string merchantCode, string phone)
    {
        var (_, form) = await GetAsync(client, HostedUrls.SignIn(merchantCode));
        using var sent = await PostAsync(client, HostedUrls.SendCode(merchantCode), form, ("phone", phone), ("returnUrl", HostedUrls.Home(merchantCode)));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var codeForm = await sent.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"signin-code\"", codeForm);
        var code = (await SentCodeAsync(app, merchantCode, phone))!;
        using var signedIn = await PostAsync(client, HostedUrls.SignIn(merchantCode), codeForm,
            ("phone", phone), ("code", code), ("returnUrl", HostedUrls.Home(merchantCode)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    public static void AssertStaticPage(string html)
    {
        // Rendered on the server and done: no Blazor script, no component markers a circuit would start from.
        Assert.DoesNotContain("blazor.web.js", html);
        Assert.DoesNotContain("_blazor", html);
        Assert.DoesNotContain("<!--Blazor:", html);
        Assert.DoesNotContain("<script", html);
    }

    [GeneratedRegex("data-testid=\"orders-row\" data-order=\"([0-9a-f-]+)\"")]
    public static partial Regex OrderRow();
}
