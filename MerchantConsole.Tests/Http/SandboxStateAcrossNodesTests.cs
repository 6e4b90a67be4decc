using System.Net;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Hosted;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Hosted.HostedSite;
using static MerchantConsole.Tests.Features.Orders.PaymentsHarness;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Http;

/// <summary>
/// Two app nodes on one database (<see cref="SecondNodeFixture"/>): whichever node a request reaches, sign-in codes and
/// sandbox payments are the same, because they live in the database. See ARCHITECTURE.md, State every node shares.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SandboxStateAcrossNodesTests(AppFixture nodeA, SecondNodeFixture second) : IClassFixture<SecondNodeFixture>
{
    private AppFixture NodeB => second.Node;

    [Fact]
    public async Task ACodeRequestedThroughOneNodeSignsInThroughTheOther()
    {
        var phone = NewPhone();
        using var onA = nodeA.NewClient();
        using var onB = NodeB.NewClient();

        Assert.Equal(HttpStatusCode.Accepted, (await RequestCodeAsync(onA, Aroma, phone)).StatusCode);
        var token = await RequestTokenAsync(onB, Aroma, phone, await SentCodeAsync(nodeA, Aroma, phone));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task ACodeVerifiedAtOnceOnBothNodesOrTwiceOnTheOtherSignsInOnlyOnce()
    {
        for (var round = 0; round < 6; round++)
        {
            var phone = NewPhone();
            using var onA = nodeA.NewClient();
            using var onB = NodeB.NewClient();
            Assert.Equal(HttpStatusCode.Accepted, (await RequestCodeAsync(onA, Aroma, phone)).StatusCode);
            var code = await SentCodeAsync(nodeA, Aroma, phone);
            // Even rounds: one check on each node; odd rounds: both on the node that did not send the code.
            var first = round % 2 == 0 ? onA : onB;

            var answers = await Task.WhenAll(
                Task.Run(() => RequestTokenAsync(first, Aroma, phone, code)),
                Task.Run(() => RequestTokenAsync(onB, Aroma, phone, code)));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var refused = Assert.Single(answers, a => a.StatusCode != HttpStatusCode.OK);
            Assert.Equal("Storefront.NoCode", (await JsonAsync(refused)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task ThePhonesLimitOfCodesCountsTheCodesSentByEveryNode()
    {
        var phone = NewPhone();
        using var onA = nodeA.NewClient();
        using var onB = NodeB.NewClient();

        var allowed = new[]
        {
            (await RequestCodeAsync(onA, Aroma, phone)).StatusCode,
            (await RequestCodeAsync(onB, Aroma, phone)).StatusCode,
            (await RequestCodeAsync(onA, Aroma, phone)).StatusCode,
        };
        var refused = await RequestCodeAsync(onB, Aroma, phone);

        Assert.All(allowed, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task AHostedPageCodeSentByOneNodeSignsInOnTheOtherAndSupportSeesItOnEither()
    {
        var phone = NewPhone();
        var cookies = new CookieContainer(); // one browser behind the load balancer: same host, either node
        using var onA = nodeA.NewClient(cookies);
        using var onB = NodeB.NewClient(cookies);
        var (_, form) = await GetAsync(onA, HostedUrls.SignIn(Aroma));
        using var sent = await PostAsync(onA, HostedUrls.SendCode(Aroma), form, ("phone", phone), ("returnUrl", HostedUrls.Home(Aroma)));
        var codeForm = await sent.Content.ReadAsStringAsync();
        var code = (await SentCodeAsync(nodeA, Aroma, phone))!;
        using var support = await NodeB.SignedInClientAsync("support@merchantconsole.demo");

        var supportPage = await support.GetStringAsync("/support/sms");
        using var signedIn = await PostAsync(onB, HostedUrls.SignIn(Aroma), codeForm, ("phone", phone), ("code", code),
            ("returnUrl", HostedUrls.Home(Aroma)));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains(phone, supportPage);
        Assert.Contains(code, supportPage);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task APaymentCreatedThroughOneNodeIsPaidOnTheOthersPayPageAndFulfilled()
    {
        var sale = await PlanOnSaleAsync(nodeA, onJoinCoupons: 1);
        using var client = await SignedInAsync(nodeA, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(nodeA, sale, orderId)).PaymentId!;
        using var onB = NodeB.NewClient();

        var page = await onB.GetAsync(Sandbox(NodeB).PayUrl(paymentId));
        var paid = await onB.PostAsync($"{Sandbox(NodeB).PayUrl(paymentId)}?delivery=Twice", null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("199.00 CNY", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var order = await AwaitStatusAsync(nodeA, sale, orderId);
        Assert.Equal(2, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        await AssertFulfilledOnceAsync(nodeA, sale, order, coupons: 1);
        Assert.Equal(PaymentState.Paid, (await Sandbox(nodeA).QueryPaymentAsync(paymentId)).State);
    }

    [Fact]
    public async Task APaymentToldOnOneNodeToBeShortIsPaidOnTheOtherAndRefusedThere()
    {
        var sale = await PlanOnSaleAsync(nodeA, onJoinCoupons: 0);
        using var client = await SignedInAsync(nodeA, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(nodeA, sale, orderId)).PaymentId!;
        Assert.True(await Sandbox(nodeA).SetDeliveryAsync(paymentId, SandboxDelivery.WrongAmount));

        var paid = await NodeB.NewClient().PostAsync(Sandbox(NodeB).PayUrl(paymentId), null);

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var order = await OrderAsync(nodeA, sale, orderId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Contains("19899 CNY", Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentRefused).Detail);
    }

    [Fact]
    public async Task APaymentPaidOnOneNodeWithoutACallbackIsFoundByTheOtherNodesReconcileJob()
    {
        var sale = await PlanOnSaleAsync(nodeA, onJoinCoupons: 0);
        using var client = await SignedInAsync(nodeA, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var paymentId = (await OrderAsync(nodeA, sale, orderId)).PaymentId!;

        var paid = await NodeB.NewClient().PostAsync($"{Sandbox(NodeB).PayUrl(paymentId)}?delivery=Never", null);
        await using (var db = ForMerchant(nodeA, sale.MerchantId))
            await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5)));
        var found = await nodeA.Factory.WithScopeAsync(sp => sp.GetRequiredService<PaymentReconcileJob>().RunAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.True(found >= 1);
        var order = await AwaitStatusAsync(nodeA, sale, orderId);
        Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentReconciled);
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
    }
}
