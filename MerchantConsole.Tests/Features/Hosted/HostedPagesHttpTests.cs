using System.Net;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Hosted;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static MerchantConsole.Tests.Features.Hosted.HostedSite;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Hosted;

[Collection(AppCollection.Name)]
public sealed class HostedPagesHttpTests(AppFixture app)
{
    [Theory]
    [InlineData("en", "Buy", "CN¥199.00", "Free sign-up", "1 year")]
    [InlineData("zh-CN", "购买", "¥199.00", "免费注册", "1 年")]
    public async Task TheGuidePageShowsTheCardFaceTiersAndPriceAsMoneyInTheBrowsersLanguageWithoutACircuit(string language, string buy, string price,
        string free, string duration)
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, language);

        using var response = await client.GetAsync(HostedUrls.Guide(plan.MerchantCode, plan.PlanId));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<html lang=\"{language}\"", html);
        Assert.Contains(plan.PlanName, html);
        Assert.Contains("data-testid=\"hosted-card-face\"", html);
        Assert.Contains(WebUtility.HtmlEncode(plan.CardTitle), html);
        Assert.Equal(2, CountOf(html, "data-testid=\"guide-tier\""));
        Assert.Contains($">{price}<", html);
        Assert.Contains(duration, html);
        Assert.Contains($">{buy}<", html);
        Assert.Contains(free, html);
        Assert.Contains(HostedUrls.BuyConfirm(plan.MerchantCode, plan.PlanId, plan.ProductId).Replace("&", "&amp;"), html);
        // The store's channel shows only when the page was opened from that store's QR code.
        Assert.DoesNotContain("data-channel=\"StoreQr\"", html);
        Assert.Contains("data-channel=\"StoreQr\"", (await GetAsync(client, HostedUrls.Guide(plan.MerchantCode, plan.PlanId, plan.StoreCode))).Html);
        AssertStaticPage(html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Contains("frame-ancestors 'none'", csp);
    }

    [Fact]
    public async Task TheLanguageSwitchOnAHostedPageComesBackToItInTheOtherLanguage()
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, "zh-CN");
        var guide = HostedUrls.Guide(plan.MerchantCode, plan.PlanId);
        var (_, chinese) = await GetAsync(client, guide);
        var link = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(chinese, "href=\"([^\"]+)\" lang=\"en\" data-testid=\"hosted-language\"").Groups[1].Value);

        using var switched = await client.GetAsync(link);
        var (_, english) = await GetAsync(client, switched.Headers.Location!.OriginalString);

        Assert.Contains(">购买<", chinese);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(guide, switched.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"en\"", english);
        Assert.Contains(">Buy<", english);
    }

    [Theory]
    [InlineData("en", "Confirm", "Payment successful", "Completed", "Card issued", "Awaiting payment")]
    [InlineData("zh-CN", "确认订单", "支付成功", "已完成", "已发卡", "待支付")]
    public async Task ACustomerSignsInConfirmsPaysInTheSandboxAndSeesTheResultTheCardAndTheOrder(string language, string confirmTitle, string paidTitle,
        string completed, string issued, string awaiting)
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, language);
        var confirmUrl = HostedUrls.BuyConfirm(plan.MerchantCode, plan.PlanId, plan.ProductId);

        // Signed out, the confirm page sends the customer to sign in and back.
        using (var toSignIn = await client.GetAsync(confirmUrl))
        {
            Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
            Assert.Equal(HostedUrls.SignIn(plan.MerchantCode, confirmUrl), toSignIn.Headers.Location!.OriginalString);
        }
        await SignInAsync(app, client, plan.MerchantCode, NewPhone());

        var (confirmStatus, confirm) = await GetAsync(client, confirmUrl);
        Assert.Equal(HttpStatusCode.OK, confirmStatus);
        Assert.Contains(confirmTitle, confirm);
        Assert.Contains("Gold yearly", confirm);
        AssertStaticPage(confirm);
        var key = System.Text.RegularExpressions.Regex.Match(confirm, "name=\"key\" value=\"([0-9a-f]+)\"").Groups[1].Value;

        using var placed = await PostAsync(client, HostedUrls.PlaceOrder(plan.MerchantCode, plan.PlanId), confirm,
            ("productId", plan.ProductId.ToString()), ("key", key));
        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        var pay = placed.Headers.Location!.OriginalString;
        Assert.StartsWith(OrdersSetup.SandboxPayPath + "/", pay);
        Guid orderId;
        await using (var db = ForMerchant(app, plan.MerchantId))
            orderId = await db.Orders.Where(o => o.PlanId == plan.PlanId).Select(o => o.Id).SingleAsync();
        Assert.EndsWith("?returnUrl=" + Uri.EscapeDataString(HostedUrls.Result(plan.MerchantCode, orderId)), pay);
        // The same form posted again (a double tap) is the same order.
        using (var again = await PostAsync(client, HostedUrls.PlaceOrder(plan.MerchantCode, plan.PlanId), confirm,
            ("productId", plan.ProductId.ToString()), ("key", key)))
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await using (var db = ForMerchant(app, plan.MerchantId))
            Assert.Equal(1, await db.Orders.CountAsync(o => o.PlanId == plan.PlanId));

        var (_, waiting) = await GetAsync(client, HostedUrls.Result(plan.MerchantCode, orderId));
        Assert.Contains("data-status=\"Pending\"", waiting);
        Assert.Contains(awaiting, waiting);
        Assert.Contains("http-equiv=\"refresh\"", waiting);

        using (var paid = await client.PostAsync(pay.Split('?')[0], new FormUrlEncodedContent([])))
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var result = "";
        while (DateTime.UtcNow < deadline)
        {
            result = (await GetAsync(client, HostedUrls.Result(plan.MerchantCode, orderId))).Html;
            if (result.Contains("data-status=\"Fulfilled\""))
                break;
            // Paid, not yet fulfilled: the page reloads itself until the card is there.
            Assert.Contains("http-equiv=\"refresh\"", result);
            await Task.Delay(250);
        }
        Assert.Contains("data-status=\"Fulfilled\"", result);
        Assert.Contains(paidTitle, result);
        Assert.DoesNotContain("http-equiv=\"refresh\"", result);
        AssertStaticPage(result);

        string cardNumber;
        await using (var db = ForMerchant(app, plan.MerchantId))
            cardNumber = await db.Memberships.Where(m => m.PlanId == plan.PlanId).Select(m => m.CardNumber).SingleAsync();
        var (_, card) = await GetAsync(client, HostedUrls.Card(plan.MerchantCode));
        Assert.Contains(MerchantConsole.Domain.Members.CardNumbers.Display(cardNumber), card);
        Assert.Contains($"data-value=\"{cardNumber}\"", card);
        Assert.Contains("src=\"data:image/", card);
        Assert.Contains(WebUtility.HtmlEncode(plan.CardTitle), card);
        AssertStaticPage(card);

        var (_, orders) = await GetAsync(client, HostedUrls.Orders(plan.MerchantCode));
        Assert.Equal(orderId, Guid.Parse(OrderRow().Match(orders).Groups[1].Value));
        Assert.Contains(completed, orders);
        AssertStaticPage(orders);

        var (_, detail) = await GetAsync(client, HostedUrls.Order(plan.MerchantCode, orderId));
        Assert.Contains("data-status=\"Fulfilled\"", detail);
        Assert.Contains(issued, detail);
        Assert.Contains("data-kind=\"PaymentReceived\"", detail);
        Assert.Contains(plan.PlanName, detail);
        AssertStaticPage(detail);

        // The customer's cookie is not a staff session.
        using var console = await client.GetAsync("/members");
        Assert.NotEqual(HttpStatusCode.OK, console.StatusCode);
    }

    [Theory]
    [InlineData("en", "My card")]
    [InlineData("zh-CN", "我的会员卡")]
    public async Task AFreeChannelHasAJoinButtonThatMakesTheCustomerAMemberWithoutPaying(string language, string myCard)
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, language);
        await SignInAsync(app, client, plan.MerchantCode, NewPhone());

        var (_, confirm) = await GetAsync(client, HostedUrls.JoinConfirm(plan.MerchantCode, plan.PlanId, plan.FreeChannelId));
        Assert.Contains("data-testid=\"confirm-join\"", confirm);
        Assert.DoesNotContain("data-testid=\"confirm-pay\"", confirm);
        using var joined = await PostAsync(client, HostedUrls.Join(plan.MerchantCode, plan.PlanId), confirm, ("channelId", plan.FreeChannelId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal(HostedUrls.Card(plan.MerchantCode), joined.Headers.Location!.OriginalString);
        var (_, card) = await GetAsync(client, HostedUrls.Card(plan.MerchantCode));
        Assert.Contains(myCard, card);
        Assert.Contains("Silver", card);
        await using var db = ForMerchant(app, plan.MerchantId);
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.PlanId == plan.PlanId));
        Assert.Equal(0, await db.Orders.CountAsync(o => o.PlanId == plan.PlanId));
    }

    [Fact]
    public async Task AStoresQrCodeOpensTheGuideWithThatStoresJoinButtonAndJoiningUsesTheStoresChannel()
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, "zh-CN");
        await SignInAsync(app, client, plan.MerchantCode, NewPhone());

        var (_, guide) = await GetAsync(client, HostedUrls.Guide(plan.MerchantCode, plan.PlanId, plan.StoreCode));
        var confirmUrl = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex
            .Match(guide, "href=\"([^\"]+)\" data-testid=\"guide-join\" data-channel=\"StoreQr\"").Groups[1].Value);
        var (_, confirm) = await GetAsync(client, confirmUrl);
        using var joined = await PostAsync(client, HostedUrls.Join(plan.MerchantCode, plan.PlanId), confirm,
            ("channelId", plan.StoreChannelId.ToString()), ("store", plan.StoreCode));

        Assert.Equal(HostedUrls.JoinConfirm(plan.MerchantCode, plan.PlanId, plan.StoreChannelId, plan.StoreCode), confirmUrl);
        Assert.Contains("本店扫码入会", confirm);
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        await using var db = ForMerchant(app, plan.MerchantId);
        var membership = await db.Memberships.SingleAsync(m => m.PlanId == plan.PlanId);
        Assert.Equal(plan.StoreChannelId, membership.JoinChannelId);
    }

    [Fact]
    public async Task AnotherMerchantsPlanAnotherCustomersOrderAndAnUnknownMerchantAreTheHostedNotFoundPage()
    {
        var plan = await PlanAsync(app);
        using var owner = Client(app, "en");
        await SignInAsync(app, owner, plan.MerchantCode, NewPhone());
        var (_, confirm) = await GetAsync(owner, HostedUrls.BuyConfirm(plan.MerchantCode, plan.PlanId, plan.ProductId));
        using (var placed = await PostAsync(owner, HostedUrls.PlaceOrder(plan.MerchantCode, plan.PlanId), confirm,
            ("productId", plan.ProductId.ToString()), ("key", "k1")))
            Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        Guid orderId;
        await using (var db = ForMerchant(app, plan.MerchantId))
            orderId = await db.Orders.Where(o => o.PlanId == plan.PlanId).Select(o => o.Id).SingleAsync();
        using var stranger = Client(app, "zh-CN");
        await SignInAsync(app, stranger, plan.MerchantCode, NewPhone());

        var answers = new[]
        {
            await GetAsync(stranger, HostedUrls.Guide(Orchard, plan.PlanId)),
            await GetAsync(stranger, HostedUrls.Qr(Orchard, plan.PlanId)),
            await GetAsync(stranger, HostedUrls.Order(plan.MerchantCode, orderId)),
            await GetAsync(stranger, HostedUrls.Result(plan.MerchantCode, orderId)),
            await GetAsync(stranger, HostedUrls.Guide("no-such-merchant", plan.PlanId)),
            await GetAsync(stranger, HostedUrls.Home(plan.MerchantCode) + "/plans/not-a-guid"),
            await GetAsync(owner, HostedUrls.Order(plan.MerchantCode, Guid.NewGuid())),
        };

        Assert.All(answers, a =>
        {
            Assert.Equal(HttpStatusCode.NotFound, a.Status);
            Assert.Contains("data-testid=\"hosted-not-found\"", a.Html);
            AssertStaticPage(a.Html);
        });
        Assert.Contains("页面不存在", answers[2].Html);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(owner, HostedUrls.Order(plan.MerchantCode, orderId))).Status);
        // Signed in at one merchant is signed out at another.
        using var elsewhere = await owner.GetAsync(HostedUrls.Orders(Orchard));
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Theory]
    [InlineData("en", "is not a", "expired")]
    [InlineData("zh-CN", "不是有效的手机号", "表单已失效")]
    public async Task BadInputAnswersTheFormAgainWithTheMessageAndChangesNothing(string language, string badPhoneText, string expiredText)
    {
        var plan = await PlanAsync(app, stock: 5);
        using var client = Client(app, language);
        var (_, signIn) = await GetAsync(client, HostedUrls.SignIn(plan.MerchantCode));

        using var badPhone = await PostAsync(client, HostedUrls.SendCode(plan.MerchantCode), signIn, ("phone", "not a phone"));
        var badPhoneHtml = await badPhone.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.Contains(badPhoneText, ErrorOf(badPhoneHtml));
        Assert.Contains("data-testid=\"signin-phone\"", badPhoneHtml);
        using var hugePhone = await PostAsync(client, HostedUrls.SendCode(plan.MerchantCode), signIn, ("phone", new string('1', 10_000)));
        Assert.Equal(HttpStatusCode.BadRequest, hugePhone.StatusCode);
        using var noToken = await client.PostAsync(HostedUrls.SendCode(plan.MerchantCode),
            new FormUrlEncodedContent([KeyValuePair.Create("phone", NewPhone())]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains(expiredText, ErrorOf(await noToken.Content.ReadAsStringAsync()));

        var phone = NewPhone();
        using var sent = await PostAsync(client, HostedUrls.SendCode(plan.MerchantCode), signIn, ("phone", phone));
        var codeForm = await sent.Content.ReadAsStringAsync();
        var right = (await SentCodeAsync(app, plan.MerchantCode, phone))!;
        using var wrong = await PostAsync(client, HostedUrls.SignIn(plan.MerchantCode), codeForm,
            ("phone", phone), ("code", right == "000000" ? "111111" : "000000"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("data-testid=\"signin-code\"", await wrong.Content.ReadAsStringAsync());
        using (var stillOut = await client.GetAsync(HostedUrls.Card(plan.MerchantCode)))
            Assert.Equal(HttpStatusCode.Redirect, stillOut.StatusCode);

        using (var signedIn = await PostAsync(client, HostedUrls.SignIn(plan.MerchantCode), codeForm, ("phone", phone), ("code", right)))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var (_, confirm) = await GetAsync(client, HostedUrls.BuyConfirm(plan.MerchantCode, plan.PlanId, plan.ProductId));
        using var noKey = await PostAsync(client, HostedUrls.PlaceOrder(plan.MerchantCode, plan.PlanId), confirm,
            ("productId", plan.ProductId.ToString()), ("key", ""));
        using var badProduct = await PostAsync(client, HostedUrls.PlaceOrder(plan.MerchantCode, plan.PlanId), confirm,
            ("productId", "12; drop table"), ("key", "k"));
        using var noToken2 = await client.PostAsync(HostedUrls.PlaceOrder(plan.MerchantCode, plan.PlanId),
            new FormUrlEncodedContent([KeyValuePair.Create("productId", plan.ProductId.ToString()), KeyValuePair.Create("key", "k2")]));
        using var badChannel = await PostAsync(client, HostedUrls.Join(plan.MerchantCode, plan.PlanId), confirm, ("channelId", new string('x', 10_000)));
        // The store's channel without that store's QR code is not offered.
        using var storeWithoutQr = await PostAsync(client, HostedUrls.Join(plan.MerchantCode, plan.PlanId), confirm, ("channelId", plan.StoreChannelId.ToString()));

        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        var noKeyHtml = await noKey.Content.ReadAsStringAsync();
        Assert.Contains(expiredText, ErrorOf(noKeyHtml));
        Assert.Contains("data-testid=\"confirm-pay\"", noKeyHtml);
        Assert.Equal(HttpStatusCode.BadRequest, badProduct.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken2.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, storeWithoutQr.StatusCode);
        await using var db = ForMerchant(app, plan.MerchantId);
        Assert.Equal(0, await db.Orders.CountAsync(o => o.PlanId == plan.PlanId));
        Assert.Equal(0, await db.Memberships.CountAsync(m => m.PlanId == plan.PlanId));
        Assert.Equal(5, await db.Set<MerchantConsole.Domain.Plans.MembershipProduct>().Where(p => p.Id == plan.ProductId).Select(p => p.Stock).SingleAsync());
    }

    [Fact]
    public async Task CodesForOnePhoneAreRateLimitedLikeTheApiWithRetryAfter()
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, "en");
        var (_, signIn) = await GetAsync(client, HostedUrls.SignIn(plan.MerchantCode));
        var phone = NewPhone();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
            answers.Add(await PostAsync(client, HostedUrls.SendCode(plan.MerchantCode), signIn, ("phone", phone)));

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[3].StatusCode);
        Assert.True(answers[3].Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many requests", await answers[3].Content.ReadAsStringAsync());
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task TheQrImageIsAPngOfThePlansGuidePageAddressPerStore()
    {
        var plan = await PlanAsync(app);
        using var client = Client(app, "en");

        using var planQr = await client.GetAsync(HostedUrls.Qr(plan.MerchantCode, plan.PlanId));
        using var storeQr = await client.GetAsync(HostedUrls.Qr(plan.MerchantCode, plan.PlanId, plan.StoreCode.ToLowerInvariant()));
        using var unknownStore = await client.GetAsync(HostedUrls.Qr(plan.MerchantCode, plan.PlanId, "NOPE"));

        Assert.Equal(HttpStatusCode.OK, planQr.StatusCode);
        Assert.Equal("image/png", planQr.Content.Headers.ContentType?.MediaType);
        var png = await planQr.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // The same bytes as the QR code of the guide page's absolute address, from App:PublicBaseUrl (never the Host header).
        var guide = $"{AppFixture.PublicBaseUrl}/m/{plan.MerchantCode}/plans/{plan.PlanId}";
        Assert.Equal(HostedSetup.QrPng(guide), png);
        Assert.Equal(HostedSetup.QrPng($"{guide}?store={Uri.EscapeDataString(plan.StoreCode)}"), await storeQr.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknownStore.StatusCode);
    }

    [Fact]
    public async Task TheStaffPlanPageLinksTheGuidePageAndThePrintableQrCodes()
    {
        var plan = await PlanAsync(app);
        using var staff = await app.SignedInClientAsync("admin@aroma.demo");

        var html = await staff.GetStringAsync($"/plans/{plan.PlanId}");

        Assert.Contains($"href=\"{HostedUrls.Qr(plan.MerchantCode, plan.PlanId)}\"", html);
        Assert.Contains($"href=\"{HostedUrls.Qr(plan.MerchantCode, plan.PlanId, plan.StoreCode)}\"", html);
        Assert.Contains($"href=\"{HostedUrls.Guide(plan.MerchantCode, plan.PlanId)}\"", html);
    }

    [Theory]
    [InlineData("en", "at most 32 characters")]
    [InlineData("zh-CN", "手机号最多 32 个字符")]
    public async Task APhoneOfFiveThousandDigitsIsRefusedAsTooLongNotAsMissing(string language, string tooLongText)
    {
        var plan = await PlanAsync(app, stock: 5);
        using var client = Client(app, language);
        var (_, signIn) = await GetAsync(client, HostedUrls.SignIn(plan.MerchantCode));

        using var response = await PostAsync(client, HostedUrls.SendCode(plan.MerchantCode), signIn, ("phone", new string('1', 5_000)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(tooLongText, ErrorOf(html));
        Assert.DoesNotContain("请填写手机号", html);
        Assert.DoesNotContain(new string('1', 33), html);
    }

    private static string ErrorOf(string html) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"hosted-error\">([^<]*)<").Groups[1].Value);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
