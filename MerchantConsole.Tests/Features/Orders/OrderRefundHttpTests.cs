using System.Net;
using System.Net.Http.Json;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Orders.PaymentsHarness;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Orders;

/// <summary>Refunds by staff (<see cref="OrderRefunds"/>) and by customers (storefront), per the plan's refund policy.</summary>
[Collection(AppCollection.Name)]
public sealed class OrderRefundHttpTests(AppFixture app)
{
    private const string Staff = "admin@aroma.demo";

    private async Task RedeemOneAsync(OnSalePlan sale, Guid membershipId)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        var coupon = await db.Coupons.Where(c => c.MembershipId == membershipId).OrderBy(c => c.Id).FirstAsync();
        await db.Coupons.Where(c => c.Id == coupon.Id).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.Status, CouponStatus.Redeemed).SetProperty(c => c.RedeemedAt, DateTimeOffset.UtcNow));
    }

    private Task<HttpResponseMessage> RequestRefundAsync(HttpClient client, string merchantCode, Guid orderId, string? reason = "Changed my mind") =>
        client.PostAsJsonAsync(Url(merchantCode, $"me/orders/{orderId}/refund"), new { reason });

    [Fact]
    public async Task AStaffRefundUnderRevokeUnusedCancelsTheCardRevokesTheUnusedCouponsKeepsTheRedeemedOneAndRefundsThePayment()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2, refundPolicy: RefundPolicy.RevokeUnused);
        var (client, order) = await FulfilledOrderAsync(app, sale);
        using var ownerClient = client;
        await RedeemOneAsync(sale, order.MembershipId!.Value);

        var result = await app.Factory.Services.GetRequiredService<OrderRefunds>()
            .RefundAsync(sale.MerchantId, order.Id, "Customer called the shop", Staff);

        Assert.True(result.Refunded, result.Refusal?.English);
        Assert.Equal("Refunded", result.Order!.Status);
        var refunded = await OrderAsync(app, sale, order.Id);
        Assert.Equal(OrderStatus.Refunded, refunded.Status);
        var membership = Assert.Single(await MembershipsAsync(app, sale, order.CustomerId));
        Assert.Equal(MembershipStatus.Cancelled, membership.Status);
        var coupons = await CouponsOfAsync(app, sale, membership.Id);
        Assert.Equal([CouponStatus.Redeemed, CouponStatus.Revoked], coupons.Select(c => c.Status).Order());
        Assert.Equal([OrderLedgerKind.RefundRequested, OrderLedgerKind.Refunded],
            refunded.Ledger.OrderBy(e => e.Sequence).Select(e => e.Kind).Where(k => k is OrderLedgerKind.RefundRequested or OrderLedgerKind.Refunded or OrderLedgerKind.RefundRefused));
        Assert.Equal($"{Staff}: Customer called the shop", refunded.Ledger.Single(e => e.Kind == OrderLedgerKind.RefundRequested).Detail);
        Assert.Equal($"{membership.CardNumber}: card revoked, 1 coupons revoked", refunded.Ledger.Single(e => e.Kind == OrderLedgerKind.Refunded).Detail);
        Assert.Equal(order.PaymentId, (await Sandbox(app).RefundOfAsync(order.Id))?.PaymentId);
        await using var db = ForMerchant(app, sale.MerchantId);
        var audited = await db.AuditEntries.AsNoTracking().Where(a => a.UserName == Staff
            && (a.AggregateId == order.Id.ToString() || a.AggregateId == membership.Id.ToString())).Select(a => a.EntityType).ToListAsync();
        Assert.Contains(nameof(Order), audited);
        Assert.Contains(nameof(Membership), audited);
    }

    [Fact]
    public async Task ACustomersRefundUnderRefuseWhenUsedIsRefusedOnceACouponWasRedeemedAndTheRefusalIsRecorded()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2, refundPolicy: RefundPolicy.RefuseWhenUsed);
        var (client, order) = await FulfilledOrderAsync(app, sale);
        using var ownerClient = client;
        await RedeemOneAsync(sale, order.MembershipId!.Value);

        var answer = await RequestRefundAsync(client, Aroma, order.Id);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Order.RefundCouponsUsed", (await JsonAsync(answer)).GetProperty("code").GetString());
        var refused = await OrderAsync(app, sale, order.Id);
        Assert.Equal(OrderStatus.Fulfilled, refused.Status);
        Assert.Single(refused.Ledger, e => e.Kind == OrderLedgerKind.RefundRequested);
        Assert.Equal("Order.RefundCouponsUsed", Assert.Single(refused.Ledger, e => e.Kind == OrderLedgerKind.RefundRefused).Detail);
        Assert.Equal(MembershipStatus.Active, Assert.Single(await MembershipsAsync(app, sale, order.CustomerId)).Status);
        Assert.Equal([CouponStatus.Issued, CouponStatus.Redeemed], (await CouponsOfAsync(app, sale, order.MembershipId.Value)).Select(c => c.Status).Order());
        Assert.Null(await Sandbox(app).RefundOfAsync(order.Id));
    }

    [Fact]
    public async Task ACustomersRefundUnderRefuseWhenUsedWithNoCouponUsedIsAcceptedAndAskingAgainReturnsTheSameRefund()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 2, refundPolicy: RefundPolicy.RefuseWhenUsed);
        var (client, order) = await FulfilledOrderAsync(app, sale);
        using var ownerClient = client;

        var answer = await RequestRefundAsync(client, Aroma, order.Id);
        var again = await RequestRefundAsync(client, Aroma, order.Id, reason: null);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("Refunded", (await JsonAsync(answer)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var refunded = await OrderAsync(app, sale, order.Id);
        Assert.Single(refunded.Ledger, e => e.Kind == OrderLedgerKind.Refunded);
        Assert.Equal(MembershipStatus.Cancelled, Assert.Single(await MembershipsAsync(app, sale, order.CustomerId)).Status);
        Assert.All(await CouponsOfAsync(app, sale, order.MembershipId!.Value), c => Assert.Equal(CouponStatus.Revoked, c.Status));
        Assert.NotNull(await Sandbox(app).RefundOfAsync(order.Id));
    }

    [Fact]
    public async Task AnotherCustomersOrAnotherMerchantsCustomerCannotRefundTheOrderAndNothingChanges()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 1);
        var (owner, order) = await FulfilledOrderAsync(app, sale);
        using var ownerClient = owner;
        using var stranger = await SignedInAsync(app, Aroma, NewPhone());
        using var orchardCustomer = await SignedInAsync(app, Orchard, NewPhone());

        var theirs = await RequestRefundAsync(stranger, Aroma, order.Id);
        var otherMerchant = await RequestRefundAsync(orchardCustomer, Orchard, order.Id);
        var tooLong = await RequestRefundAsync(owner, Aroma, order.Id, new string('x', 10_000));

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal("Order.NotFound", (await JsonAsync(theirs)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, otherMerchant.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await JsonAsync(tooLong)).GetProperty("errors").TryGetProperty("reason", out _));
        var unchanged = await OrderAsync(app, sale, order.Id);
        Assert.Equal(OrderStatus.Fulfilled, unchanged.Status);
        Assert.DoesNotContain(unchanged.Ledger, e => e.Kind == OrderLedgerKind.RefundRequested);
        Assert.Equal(MembershipStatus.Active, Assert.Single(await MembershipsAsync(app, sale, order.CustomerId)).Status);
    }

    [Fact]
    public async Task AnUnpaidOrderIsNotRefundedAndTheRefusalIsRecorded()
    {
        var sale = await PlanOnSaleAsync(app, onJoinCoupons: 0);
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);

        var answer = await RequestRefundAsync(client, Aroma, orderId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        Assert.Equal("Order.NotRefundable", (await JsonAsync(answer)).GetProperty("code").GetString());
        var order = await OrderAsync(app, sale, orderId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal("Order.NotRefundable", Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.RefundRefused).Detail);
    }

    [Fact]
    public async Task TheRefundEndpointIsInTheStorefrontOpenApiDocumentWithItsProblemAnswers()
    {
        var document = await JsonAsync(await app.NewClient().GetAsync("/openapi/storefront.json"));

        var path = document.GetProperty("paths").EnumerateObject().Single(p => p.Name.EndsWith("/me/orders/{orderId}/refund", StringComparison.Ordinal));
        var responses = path.Value.GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "200", "400", "404", "422" })
            Assert.True(responses.TryGetProperty(status, out _), $"no {status} answer documented");
    }
}
