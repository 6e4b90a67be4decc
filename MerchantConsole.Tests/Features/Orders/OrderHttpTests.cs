using System.Net;
using System.Net.Http.Json;
using System.Text;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Orders;

[Collection(AppCollection.Name)]
public sealed class OrderHttpTests(AppFixture app)
{
    /// <summary>An Active plan of Aroma with one Purchase channel selling a product with <paramref name="stock"/> units.</summary>
    private Task<OnSalePlan> PlanOnSaleAsync(int? stock = 10) => PaymentsHarness.PlanOnSaleAsync(app, onJoinCoupons: 0, stock: stock);

    private static async Task<HttpResponseMessage> PlaceAsync(HttpClient client, OnSalePlan sale, string? key, Guid? productId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(Aroma, $"plans/{sale.PlanId}/orders"))
        {
            Content = JsonContent.Create(new { productId = productId ?? sale.ProductId }),
        };
        if (key is not null)
            request.Headers.Add(StorefrontOrders.IdempotencyHeader, key);
        return await client.SendAsync(request);
    }

    private async Task<int?> StockAsync(OnSalePlan sale)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.Set<MembershipProduct>().Where(p => p.Id == sale.ProductId).Select(p => p.Stock).SingleAsync();
    }

    private async Task<Order> OrderAsync(OnSalePlan sale, Guid orderId)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.Orders.AsNoTracking().Include(o => o.Ledger).SingleAsync(o => o.Id == orderId);
    }

    private async Task<HttpResponseMessage> CallbackAsync(byte[] body, string signature)
    {
        using var client = app.NewClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.Add(PaymentSignatures.Header, signature);
        return await client.PostAsync(OrdersSetup.CallbackPath, content);
    }

    private async Task<Guid> PlacedOrderIdAsync(HttpClient client, OnSalePlan sale)
    {
        var placed = await PlaceAsync(client, sale, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        return (await JsonAsync(placed)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReturnsTheSameOrderAndTakesStockOnceANewKeyPlacesAnother()
    {
        var sale = await PlanOnSaleAsync(stock: 10);
        using var client = await SignedInAsync(app, Aroma, NewPhone());

        var first = await PlaceAsync(client, sale, "key-1");
        var again = await PlaceAsync(client, sale, "key-1");
        var other = await PlaceAsync(client, sale, "key-2");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var firstBody = await JsonAsync(first);
        Assert.Equal(firstBody.GetProperty("id").GetGuid(), (await JsonAsync(again)).GetProperty("id").GetGuid());
        Assert.NotEqual(firstBody.GetProperty("id").GetGuid(), (await JsonAsync(other)).GetProperty("id").GetGuid());
        Assert.Equal("Pending", firstBody.GetProperty("status").GetString());
        Assert.Equal(19_900, firstBody.GetProperty("priceMinorUnits").GetInt64());
        Assert.StartsWith(OrdersSetup.SandboxPayPath, firstBody.GetProperty("payUrl").GetString());
        Assert.Equal(8, await StockAsync(sale));
        var mine = await client.GetAsync(Url(Aroma, "me/orders"));
        Assert.Equal(2, (await JsonAsync(mine)).GetArrayLength());
    }

    [Fact]
    public async Task AnOrderWithoutAnIdempotencyKeyOrProductIsRefusedNamingTheFieldAndNothingIsPlaced()
    {
        var sale = await PlanOnSaleAsync(stock: 5);
        using var client = await SignedInAsync(app, Aroma, NewPhone());

        var noKey = await PlaceAsync(client, sale, null);
        var hugeKey = await PlaceAsync(client, sale, new string('k', 10_000));
        var unknownProduct = await PlaceAsync(client, sale, "k", Guid.NewGuid());

        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.True((await JsonAsync(noKey)).GetProperty("errors").TryGetProperty(StorefrontOrders.IdempotencyHeader, out _));
        Assert.Equal(HttpStatusCode.BadRequest, hugeKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownProduct.StatusCode);
        Assert.Equal("application/problem+json", unknownProduct.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, await StockAsync(sale));
        Assert.Equal(0, (await JsonAsync(await client.GetAsync(Url(Aroma, "me/orders")))).GetArrayLength());
    }

    [Fact]
    public async Task AnotherCustomersOrderIsNotFound()
    {
        var sale = await PlanOnSaleAsync();
        using var owner = await SignedInAsync(app, Aroma, NewPhone());
        using var stranger = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlacedOrderIdAsync(owner, sale);

        var own = await owner.GetAsync(Url(Aroma, $"me/orders/{orderId}"));
        var theirs = await stranger.GetAsync(Url(Aroma, $"me/orders/{orderId}"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal("Order.NotFound", (await JsonAsync(theirs)).GetProperty("code").GetString());
        Assert.Equal(0, (await JsonAsync(await stranger.GetAsync(Url(Aroma, "me/orders")))).GetArrayLength());
    }

    [Fact]
    public async Task AnotherMerchantsCustomerFindsNeitherTheOrderNorThePlanToOrderFrom()
    {
        var sale = await PlanOnSaleAsync();
        using var owner = await SignedInAsync(app, Aroma, NewPhone());
        using var orchardCustomer = await SignedInAsync(app, Orchard, NewPhone());
        var orderId = await PlacedOrderIdAsync(owner, sale);

        var order = await orchardCustomer.GetAsync(Url(Orchard, $"me/orders/{orderId}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(Orchard, $"plans/{sale.PlanId}/orders"))
        {
            Content = JsonContent.Create(new { productId = sale.ProductId }),
        };
        request.Headers.Add(StorefrontOrders.IdempotencyHeader, "x");
        var place = await orchardCustomer.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, order.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, place.StatusCode);
        Assert.Equal(9, await StockAsync(sale));
    }

    [Fact]
    public async Task TheSameCallbackTwiceAndTwoFulfilmentRunsAtOnceMakeOneMembershipAndTheLedgerShowsBothCallbacks()
    {
        var sale = await PlanOnSaleAsync();
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlacedOrderIdAsync(client, sale);
        var sandbox = app.Factory.Services.GetRequiredService<SandboxPaymentProvider>();
        var payment = (await sandbox.FindAsync((await OrderAsync(sale, orderId)).PaymentId!))!;
        var (body, signature) = sandbox.Callback(payment);

        var firstCallback = await CallbackAsync(body, signature);
        var secondCallback = await CallbackAsync(body, signature);
        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            using var scope = app.Factory.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<OrderFulfilment>().FulfilAsync(sale.MerchantId, orderId, CancellationToken.None);
        })));

        Assert.Equal(HttpStatusCode.OK, firstCallback.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondCallback.StatusCode);
        var order = await OrderAsync(sale, orderId);
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        Assert.True(runs.Count(r => r == FulfilOutcome.Fulfilled) <= 1);
        Assert.Equal(2, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        // The pipeline may fulfil the order between the two callbacks: the second is then recorded after the card.
        var ledger = order.Ledger.OrderBy(e => e.Sequence).ToList();
        Assert.Equal([OrderLedgerKind.Placed, OrderLedgerKind.PaymentCreated, OrderLedgerKind.Fulfilled, OrderLedgerKind.CardIssued, OrderLedgerKind.CouponsIssued],
            ledger.Where(e => e.Kind != OrderLedgerKind.PaymentReceived).Select(e => e.Kind));
        Assert.Equal(OrderLedgerKind.PaymentReceived, ledger[2].Kind);
        Assert.Equal(Enumerable.Range(1, ledger.Count), ledger.Select(e => e.Sequence));
        await using var db = ForMerchant(app, sale.MerchantId);
        var memberships = await db.Memberships.Where(m => m.CustomerId == order.CustomerId && m.PlanId == sale.PlanId).ToListAsync();
        var membership = Assert.Single(memberships);
        Assert.Equal(order.MembershipId, membership.Id);
        var mine = await JsonAsync(await client.GetAsync(Url(Aroma, "me/memberships")));
        Assert.Contains(mine.EnumerateArray(), m => m.GetProperty("id").GetGuid() == membership.Id);
    }

    [Fact]
    public async Task ASignedCallbackAloneGetsTheOrderFulfilled()
    {
        var sale = await PlanOnSaleAsync();
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlacedOrderIdAsync(client, sale);
        var sandbox = app.Factory.Services.GetRequiredService<SandboxPaymentProvider>();
        var (body, signature) = sandbox.Callback((await sandbox.FindAsync((await OrderAsync(sale, orderId)).PaymentId!))!);

        var answer = await CallbackAsync(body, signature);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? status = null;
        while (DateTime.UtcNow < deadline && status != "Fulfilled")
        {
            await Task.Delay(250);
            status = (await JsonAsync(await client.GetAsync(Url(Aroma, $"me/orders/{orderId}")))).GetProperty("status").GetString();
        }
        Assert.Equal("Fulfilled", status);
        await using var db = ForMerchant(app, sale.MerchantId);
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.PlanId == sale.PlanId));
    }

    [Fact]
    public async Task TenCopiesOfACallbackAtOnceAreEachRecordedAndFulfilOnce()
    {
        var sale = await PlanOnSaleAsync();
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlacedOrderIdAsync(client, sale);
        var sandbox = app.Factory.Services.GetRequiredService<SandboxPaymentProvider>();
        var (body, signature) = sandbox.Callback((await sandbox.FindAsync((await OrderAsync(sale, orderId)).PaymentId!))!);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => CallbackAsync(body, signature)));
        using (var scope = app.Factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<OrderFulfilment>().FulfilAsync(sale.MerchantId, orderId, CancellationToken.None);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var order = await OrderAsync(sale, orderId);
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        Assert.Equal(10, order.Ledger.Count(e => e.Kind == OrderLedgerKind.PaymentReceived));
        Assert.Equal(Enumerable.Range(1, order.Ledger.Count), order.Ledger.Select(e => e.Sequence).Order());
        Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.Fulfilled);
        await using var db = ForMerchant(app, sale.MerchantId);
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.PlanId == sale.PlanId));
    }

    [Fact]
    public async Task ACallbackWithAWrongSignatureIsRefusedAndOneWithAWrongAmountIsRefusedAndRecorded()
    {
        var sale = await PlanOnSaleAsync();
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlacedOrderIdAsync(client, sale);
        var sandbox = app.Factory.Services.GetRequiredService<SandboxPaymentProvider>();
        var payment = (await sandbox.FindAsync((await OrderAsync(sale, orderId)).PaymentId!))!;
        var (body, _) = sandbox.Callback(payment);
        var (cheap, cheapSignature) = sandbox.Callback(payment, new Money(1, "CNY"));

        var forged = await CallbackAsync(body, new string('0', 64));
        var tampered = await CallbackAsync(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("19900", "1")), sandbox.Callback(payment).Signature);
        var wrongAmount = await CallbackAsync(cheap, cheapSignature);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongAmount.StatusCode);
        var order = await OrderAsync(sale, orderId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentRefused);
        Assert.DoesNotContain(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentReceived);
    }

    [Fact]
    public async Task AnUnpaidOrderPastItsTimeExpiresAndGivesItsStockBack()
    {
        var sale = await PlanOnSaleAsync(stock: 3);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlacedOrderIdAsync(client, sale);
        Assert.Equal(2, await StockAsync(sale));
        await using (var db = ForMerchant(app, sale.MerchantId))
            await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));

        await app.Factory.Services.GetRequiredService<OrderExpiryJob>().RunAsync(CancellationToken.None);

        var order = await OrderAsync(sale, orderId);
        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.False(order.StockReserved);
        Assert.Contains(order.Ledger, e => e.Kind == OrderLedgerKind.Expired);
        Assert.Equal(3, await StockAsync(sale));
    }

    [Fact]
    public async Task TheLastUnitOfStockGoesToOneOrderAndTheNextIsRefusedAsSoldOut()
    {
        var sale = await PlanOnSaleAsync(stock: 1);
        using var client = await SignedInAsync(app, Aroma, NewPhone());

        var first = await PlaceAsync(client, sale, "a");
        var second = await PlaceAsync(client, sale, "b");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("Order.SoldOut", (await JsonAsync(second)).GetProperty("code").GetString());
        Assert.Equal(0, await StockAsync(sale));
    }

    [Fact]
    public async Task TheSandboxPayPageShowsTheAmountAndAPayButton()
    {
        var sale = await PlanOnSaleAsync();
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var placed = await JsonAsync(await PlaceAsync(client, sale, "pay-page"));

        var page = await app.NewClient().GetStringAsync(placed.GetProperty("payUrl").GetString());

        Assert.Contains("199.00 CNY", page);
        Assert.Contains("data-testid=\"sandbox-pay\"", page);
    }

    [Fact]
    public async Task PayOnTheSandboxPageSendsASignedCallbackThatRecordsThePayment()
    {
        var sale = await PlanOnSaleAsync();
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var placed = await JsonAsync(await PlaceAsync(client, sale, "pay-button"));
        var orderId = placed.GetProperty("id").GetGuid();

        var paid = await app.NewClient().PostAsync(placed.GetProperty("payUrl").GetString(), null);

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Contains("sandbox-paid", await paid.Content.ReadAsStringAsync());
        var order = await OrderAsync(sale, orderId);
        Assert.NotEqual(OrderStatus.Pending, order.Status);
        Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.PaymentReceived);
    }
}
