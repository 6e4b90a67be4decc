using System.Net;
using System.Net.Http.Json;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Orders;

/// <summary>A plan of Aroma selling one product, with "on join" coupon benefits, and the steps of buying it over HTTP.</summary>
internal sealed record OnSalePlan(Guid MerchantId, Guid PlanId, Guid TierId, Guid ProductId);

internal static class PaymentsHarness
{
    /// <summary>
    /// An Active plan with one tier sold through a Purchase channel (¥199, <paramref name="stock"/> units or unlimited),
    /// <paramref name="onJoinCoupons"/> Active coupon benefits issuing on join, and the given validity and refund policy.
    /// </summary>
    public static async Task<OnSalePlan> PlanOnSaleAsync(AppFixture app, int onJoinCoupons = 2, int? validityDays = null,
        RefundPolicy refundPolicy = RefundPolicy.RevokeUnused, int? stock = null)
    {
        var merchantId = await MerchantIdAsync(app, Aroma);
        await using var db = ForMerchant(app, merchantId);
        var cardVersion = await db.MembershipPlans.Where(p => p.CardTemplateVersionId != null).Select(p => p.CardTemplateVersionId!.Value).FirstAsync();
        var now = DateTimeOffset.UtcNow;
        var plan = MembershipPlan.Create(merchantId, "Paid club " + Guid.NewGuid().ToString("N")[..8], null, "CNY", now);
        plan.ChooseCardTemplateVersion(cardVersion, now);
        if (validityDays is { } days)
            plan.SetValidity(ValidityPolicy.FixedDays, days, null, now);
        plan.SetRefundPolicy(refundPolicy, now);
        var tier = plan.AddTier("Gold", "#FFD700", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var channel = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
        var product = plan.AddProduct(channel.Id, "Gold yearly", new Money(19_900, "CNY"), 1, DurationUnit.Years, stock, null, RenewalRule.ManualRenewal, now);
        plan.BeginActivation(now);
        plan.MarkProductsPending(now);
        plan.MarkActive(now);
        plan.MarkProductsActive(now);
        db.MembershipPlans.Add(plan);

        var effectiveFrom = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        for (var i = 0; i < onJoinCoupons; i++)
        {
            var template = CouponTemplate.Create(merchantId, $"Welcome {i + 1}", CouponTestTerms.CashOff(), "test", now);
            var version = template.Publish("test", now);
            var activity = Activity.Create(merchantId, $"Welcome {i + 1}", now.AddDays(-1), null, "test", now);
            var couponActivity = activity.AddCouponActivity(version, IssuingRule.OnJoin, 1000, "test", now);
            activity.MakeEffective("test", now);
            var benefit = Benefit.Create(plan, $"Welcome {i + 1}", [], BenefitKind.Coupon, effectiveFrom, "test", now);
            benefit.ChangeDraft(v => v.SetCoupon(activity.Id, version.Id, IssuingRule.OnJoin, 1000), "test", now);
            var activating = benefit.BeginActivation("test", now);
            activating.RecordActivity(activity.Id);
            activating.RecordCouponActivity(couponActivity.Id);
            benefit.Bind(activating.Id, effectiveFrom.AddDays(1), now);
            db.CouponTemplates.Add(template);
            db.Activities.Add(activity);
            db.Benefits.Add(benefit);
        }
        await db.SaveChangesAsync();
        return new OnSalePlan(merchantId, plan.Id, tier.Id, product.Id);
    }

    public static async Task<Guid> PlaceAsync(HttpClient client, OnSalePlan sale, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(Aroma, $"plans/{sale.PlanId}/orders"))
        {
            Content = JsonContent.Create(new { productId = sale.ProductId }),
        };
        request.Headers.Add(StorefrontOrders.IdempotencyHeader, key ?? Guid.NewGuid().ToString());
        var placed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        return (await JsonAsync(placed)).GetProperty("id").GetGuid();
    }

    public static SandboxPaymentProvider Sandbox(AppFixture app) => app.Factory.Services.GetRequiredService<SandboxPaymentProvider>();

    public static async Task<Order> OrderAsync(AppFixture app, OnSalePlan sale, Guid orderId)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.Orders.AsNoTracking().Include(o => o.Ledger).SingleAsync(o => o.Id == orderId);
    }

    /// <summary>The signed callback the sandbox would send for the order's payment.</summary>
    public static async Task<(byte[] Body, string Signature)> CallbackOfAsync(AppFixture app, OnSalePlan sale, Guid orderId,
        Money? amount = null, DateTimeOffset? paidAt = null)
    {
        var sandbox = Sandbox(app);
        return sandbox.Callback((await sandbox.FindAsync((await OrderAsync(app, sale, orderId)).PaymentId!))!, amount, paidAt);
    }

    public static async Task<HttpResponseMessage> PostCallbackAsync(AppFixture app, byte[] body, string signature)
    {
        using var client = app.NewClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.Add(PaymentSignatures.Header, signature);
        return await client.PostAsync(OrdersSetup.CallbackPath, content);
    }

    /// <summary>Waits (up to a minute) for Hangfire to bring the order to <paramref name="status"/>.</summary>
    public static async Task<Order> AwaitStatusAsync(AppFixture app, OnSalePlan sale, Guid orderId, OrderStatus status = OrderStatus.Fulfilled)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var order = await OrderAsync(app, sale, orderId);
            if (order.Status == status || DateTime.UtcNow > deadline)
                return order;
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the MemberJoined message of the membership has been delivered to its handlers.</summary>
    public static async Task AwaitJoinedDeliveredAsync(AppFixture app, OnSalePlan sale, Guid membershipId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = ForMerchant(app, sale.MerchantId);
            if (await db.OutboxMessages.AnyAsync(m => m.CorrelationId == membershipId && m.SentAt != null))
                return;
            await Task.Delay(200);
        }
        Assert.Fail($"MemberJoined of {membershipId} was not delivered within a minute.");
    }

    public static async Task<List<Coupon>> CouponsOfAsync(AppFixture app, OnSalePlan sale, Guid membershipId)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.Coupons.AsNoTracking().Where(c => c.MembershipId == membershipId).ToListAsync();
    }

    public static async Task<List<MerchantConsole.Domain.Members.Membership>> MembershipsAsync(AppFixture app, OnSalePlan sale, Guid? customerId = null)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.Memberships.AsNoTracking().Where(m => m.PlanId == sale.PlanId && (customerId == null || m.CustomerId == customerId)).ToListAsync();
    }

    /// <summary>A customer signed in, with one order placed, paid by a signed callback and fulfilled by Hangfire.</summary>
    public static async Task<(HttpClient Client, Order Order)> FulfilledOrderAsync(AppFixture app, OnSalePlan sale)
    {
        var client = await SignedInAsync(app, Aroma, NewPhone());
        var orderId = await PlaceAsync(client, sale);
        var (body, signature) = await CallbackOfAsync(app, sale, orderId);
        Assert.Equal(HttpStatusCode.OK, (await PostCallbackAsync(app, body, signature)).StatusCode);
        var order = await AwaitStatusAsync(app, sale, orderId);
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        return (client, order);
    }

    /// <summary>Asserts the order's fulfilment: one membership of the customer, the card in the ledger, <paramref name="coupons"/> coupons.</summary>
    public static async Task AssertFulfilledOnceAsync(AppFixture app, OnSalePlan sale, Order order, int coupons)
    {
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        var membership = Assert.Single(await MembershipsAsync(app, sale, order.CustomerId));
        Assert.Equal(order.MembershipId, membership.Id);
        Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.Fulfilled);
        Assert.Equal($"{membership.Id} {membership.CardNumber}", Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.CardIssued).Detail);
        Assert.Equal(coupons.ToString(), Assert.Single(order.Ledger, e => e.Kind == OrderLedgerKind.CouponsIssued).Detail);
        Assert.Equal(coupons, (await CouponsOfAsync(app, sale, membership.Id)).Count);
        Assert.Equal(Enumerable.Range(1, order.Ledger.Count), order.Ledger.Select(e => e.Sequence).Order());
    }

    /// <summary>Marks the order Paid without a callback, so only the call under test fulfils it.</summary>
    public static async Task MarkPaidAsync(AppFixture app, OnSalePlan sale, Guid orderId)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        var order = await db.Orders.Include(o => o.Ledger).SingleAsync(o => o.Id == orderId);
        Assert.True(order.RecordPayment(order.PaymentId!, order.Price, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>Leaves room for <paramref name="room"/> more coupons in the budget of one of the plan's coupon activities; returns it.</summary>
    public static async Task<Guid> LimitOneBenefitAsync(AppFixture app, OnSalePlan sale, int room)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        var activityId = await db.Benefits.Where(b => b.PlanId == sale.PlanId).SelectMany(b => b.Versions)
            .Where(v => v.CouponActivityId != null).Select(v => v.CouponActivityId!.Value).OrderBy(id => id).FirstAsync();
        await db.Set<CouponActivity>().Where(c => c.Id == activityId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Budget, c => c.Issued + room));
        return activityId;
    }
}
