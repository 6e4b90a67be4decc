using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Orders;

/// <summary>The staff order list and order page, and support's reconciliation report, over orders placed through the storefront.</summary>
[Collection(AppCollection.Name)]
public sealed class OrderPagesTests(AppFixture app)
{
    private const string SupportEmail = "support@merchantconsole.demo";

    private sealed record Placed(Guid MerchantId, Guid OrderId, string Phone, string PlanName);

    /// <summary>An order for a new paid plan of Aroma, placed by a new customer through the storefront; not paid.</summary>
    private async Task<Placed> PlacedOrderAsync()
    {
        var sale = await PaymentsHarness.PlanOnSaleAsync(app, onJoinCoupons: 0);
        var planName = await OrderPlanNameAsync(sale);
        var phone = NewPhone();
        using var client = await SignedInAsync(app, Aroma, phone);
        return new Placed(sale.MerchantId, await PaymentsHarness.PlaceAsync(client, sale), phone, planName);
    }

    private async Task<string> OrderPlanNameAsync(OnSalePlan sale)
    {
        await using var db = ForMerchant(app, sale.MerchantId);
        return await db.MembershipPlans.Where(p => p.Id == sale.PlanId).Select(p => p.Name).SingleAsync();
    }

    /// <summary>Records the order's payment as of <paramref name="paidAt"/> without handing it to fulfilment: a paid order stuck short of its card.</summary>
    private async Task MarkPaidAsync(Placed placed, DateTimeOffset paidAt)
    {
        await using var db = ForMerchant(app, placed.MerchantId);
        var order = await db.Orders.Include(o => o.Ledger).SingleAsync(o => o.Id == placed.OrderId);
        Assert.True(order.RecordPayment(order.PaymentId!, order.Price, paidAt));
        await db.SaveChangesAsync();
    }

    private async Task<FulfilOutcome> FulfilAsync(Placed placed)
    {
        using var scope = app.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OrderFulfilment>().FulfilAsync(placed.MerchantId, placed.OrderId, CancellationToken.None);
    }

    private async Task<HttpClient> ClientAsync(string email, string language = "en")
    {
        var client = await app.SignedInClientAsync(email);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private async Task<T> AsMerchantAsync<T>(Guid merchantId, Func<OrderQueries, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchantId, "order page tests");
        return await read(scope.ServiceProvider.GetRequiredService<OrderQueries>());
    }

    [Fact]
    public async Task TheOrderPageShowsTheLedgerAndTheCardToItsMerchantAndAnotherMerchantsAdminGets404()
    {
        var placed = await PlacedOrderAsync();
        await MarkPaidAsync(placed, DateTimeOffset.UtcNow);
        Assert.Equal(FulfilOutcome.Fulfilled, await FulfilAsync(placed));
        var aroma = await ClientAsync("admin@aroma.demo");
        var orchard = await ClientAsync("admin@orchard.demo");

        var own = await aroma.GetAsync(OrderPages.OrderUrl(placed.OrderId));
        var ownHtml = await own.Content.ReadAsStringAsync();
        var theirs = await orchard.GetAsync(OrderPages.OrderUrl(placed.OrderId));
        var theirsHtml = await theirs.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains(placed.Phone, ownHtml);
        Assert.Contains(placed.PlanName, ownHtml);
        string[] kinds = ["Placed", "PaymentCreated", "PaymentReceived", "Fulfilled", "CardIssued"];
        Assert.Equal(kinds, System.Text.RegularExpressions.Regex.Matches(ownHtml, "data-testid=\"ledger-entry\" data-kind=\"(\\w+)\"")
            .Select(m => m.Groups[1].Value).Take(kinds.Length));
        Assert.Contains("data-testid=\"order-refund\"", ownHtml);
        Assert.Contains("data-testid=\"order-card-status\"", ownHtml);
        // The ledger keeps "minor-units currency"; staff read money.
        var placedLine = System.Text.RegularExpressions.Regex.Match(ownHtml, "data-kind=\"Placed\">(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        await using (var db = ForMerchant(app, placed.MerchantId))
        {
            var price = (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == placed.OrderId)).Price;
            Assert.Contains(MerchantConsole.Localization.MoneyFormat.Format(price, System.Globalization.CultureInfo.GetCultureInfo("en")), placedLine);
        }
        Assert.DoesNotMatch(@"\d{3,} CNY", placedLine);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Contains("Not found", theirsHtml);
        Assert.DoesNotContain(placed.Phone, theirsHtml);
    }

    [Fact]
    public async Task AnOrdersHistoryTellsItsStatusChangesInWordsAndARepeatedPaymentNoticeAsItsLedgerLine()
    {
        var placed = await PlacedOrderAsync();
        await MarkPaidAsync(placed, DateTimeOffset.UtcNow);
        Assert.Equal(FulfilOutcome.Fulfilled, await FulfilAsync(placed));
        // The provider sends the same notice again: recorded as a ledger line, and nothing else about the order changes.
        Order order;
        await using (var db = ForMerchant(app, placed.MerchantId))
            order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == placed.OrderId);
        using (var scope = app.Factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<PaymentRecording>().RecordAsync(placed.MerchantId,
                [new PaymentNotice(placed.MerchantId, order.PaymentId!, order.Id, order.Price)], CancellationToken.None);
        List<AuditEntry> entries;
        await using (var db = ForMerchant(app, placed.MerchantId))
            entries = await db.AuditEntries.AsNoTracking().Where(a => a.AggregateId == placed.OrderId.ToString() && a.EntityType == nameof(Order))
                .OrderBy(a => a.Id).ToListAsync();
        var text = app.Factory.Services.GetRequiredService<MerchantConsole.Localization.AuditText>();

        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        try
        {
            var lines = entries.Select(e => text.Describe(e, at => at)).ToList();
            Assert.Contains(lines, l => l is not null && l.Contains("Status") && l.Contains("Awaiting payment") && l.Contains("Paid"));
            Assert.Contains(lines, l => l is not null && l.Contains("Status") && l.Contains("Fulfilled"));
            // The repeated notice names its line (the order's last); saves that changed the status do not add it.
            Assert.Equal($"Ledger line {order.LedgerLength + 1} recorded", lines[^1]);
            Assert.DoesNotContain(lines[..^1], l => l is not null && l.Contains("Ledger line"));
            // The payments path is background work, named as such in the reader's language.
            Assert.Equal("System · payments", text.Actor(entries[^1].UserName));
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal($"记入账本第 {order.LedgerLength + 1} 行", text.Describe(entries[^1], at => at));
            Assert.Equal("系统 · 支付", text.Actor(entries[^1].UserName));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task AStoreManagerSeesAnOrderButOnlyAnAdminIsOfferedTheRefund()
    {
        var placed = await PlacedOrderAsync();
        await MarkPaidAsync(placed, DateTimeOffset.UtcNow);
        Assert.Equal(FulfilOutcome.Fulfilled, await FulfilAsync(placed));
        var manager = await ClientAsync("store@aroma.demo");

        var response = await manager.GetAsync(OrderPages.OrderUrl(placed.OrderId));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"order-ledger\"", html);
        Assert.DoesNotContain("data-testid=\"order-refund\"", html);
    }

    [Fact]
    public async Task TheOrderListFindsAnOrderByPhoneAndStatusAndOnlyInItsOwnMerchant()
    {
        var placed = await PlacedOrderAsync();
        var orchardId = await MerchantIdAsync(app, "fresh-orchard");

        var byPhone = await AsMerchantAsync(placed.MerchantId, q => q.ListAsync(new OrderListQuery(placed.Phone[3..], null, null, 0, 20)));
        var byId = await AsMerchantAsync(placed.MerchantId, q => q.ListAsync(new OrderListQuery(placed.OrderId.ToString(), null, null, 0, 20)));
        var pending = await AsMerchantAsync(placed.MerchantId, q => q.ListAsync(new OrderListQuery(placed.Phone, OrderStatus.Pending, null, 0, 20)));
        var fulfilled = await AsMerchantAsync(placed.MerchantId, q => q.ListAsync(new OrderListQuery(placed.Phone, OrderStatus.Fulfilled, null, 0, 20)));
        var elsewhere = await AsMerchantAsync(orchardId, q => q.ListAsync(new OrderListQuery(placed.Phone, null, null, 0, 20)));
        var elsewhereById = await AsMerchantAsync(orchardId, q => q.DetailsAsync(placed.OrderId));

        var row = Assert.Single(byPhone.Rows);
        Assert.Equal(placed.OrderId, row.Id);
        Assert.Equal(new Money(19_900, "CNY"), row.Price);
        Assert.Equal(OrderStatus.Pending, row.Status);
        Assert.Equal(placed.OrderId, Assert.Single(byId.Rows).Id);
        Assert.Single(pending.Rows);
        Assert.Empty(fulfilled.Rows);
        Assert.Equal(0, elsewhere.Total);
        Assert.Null(elsewhereById);
    }

    [Theory]
    [InlineData("en", "Orders", "Order reconciliation")]
    [InlineData("zh-CN", "订单", "订单对账")]
    public async Task TheOrderPagesSpeakTheUsersLanguageAndOnlySupportOpensTheReconciliationReport(string language, string orders, string reconcile)
    {
        var admin = await ClientAsync("admin@aroma.demo", language);
        var support = await ClientAsync(SupportEmail, language);

        var list = await admin.GetStringAsync(OrderPages.ListUrl);
        var report = await support.GetStringAsync(OrderPages.ReconciliationUrl);
        var adminReport = await admin.GetAsync(OrderPages.ReconciliationUrl);

        Assert.Matches($"data-testid=\"orders-title\"[^>]*>{orders}<", list);
        Assert.Contains("data-testid=\"nav-orders\"", list);
        Assert.Matches($"data-testid=\"reconcile-title\"[^>]*>{reconcile}<", report);
        Assert.DoesNotContain("data-testid=\"reconcile-title\"", await adminReport.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APaidOrderStuckWithoutItsCardIsReportedAndSupportCompletesItOnceWithItsReasonAudited()
    {
        var placed = await PlacedOrderAsync();
        var fresh = await PlacedOrderAsync();
        await MarkPaidAsync(placed, DateTimeOffset.UtcNow.AddMinutes(-10));
        await MarkPaidAsync(fresh, DateTimeOffset.UtcNow);
        var support = await ClientAsync(SupportEmail);

        var reportHtml = await support.GetStringAsync(OrderPages.ReconciliationUrl);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseAcrossMerchants(SupportEmail);
        var reconciliation = scope.ServiceProvider.GetRequiredService<OrderReconciliation>();
        var listed = await reconciliation.IncompleteAsync();
        var noReason = await Assert.ThrowsAsync<DomainException>(() => reconciliation.CompleteAsync(placed.OrderId, " "));
        var first = await reconciliation.CompleteAsync(placed.OrderId, "customer called: paid, no card");
        var second = await reconciliation.CompleteAsync(placed.OrderId, "clicked twice");
        var after = await reconciliation.IncompleteAsync();

        Assert.Contains(placed.Phone, reportHtml);
        Assert.Contains(listed, o => o.OrderId == placed.OrderId);
        Assert.DoesNotContain(listed, o => o.OrderId == fresh.OrderId); // paid a moment ago: fulfilment still has time
        Assert.Equal("Reconciliation.ReasonRequired", noReason.Refusal.Code);
        Assert.Equal(CompleteOutcome.Completed, first);
        Assert.Equal(CompleteOutcome.AlreadyComplete, second);
        Assert.DoesNotContain(after, o => o.OrderId == placed.OrderId);
        await using var db = ForMerchant(app, placed.MerchantId);
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == placed.OrderId);
        Assert.Equal(OrderStatus.Fulfilled, order.Status);
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.CustomerId == order.CustomerId && m.PlanId == order.PlanId));
        var audits = await db.AuditEntries.AsNoTracking()
            .Where(a => a.AggregateId == placed.OrderId.ToString() && a.Action == "SupportCompleteOrder").ToListAsync();
        Assert.Equal(2, audits.Count);
        Assert.All(audits, a => Assert.Equal(SupportEmail, a.UserName));
        Assert.Contains(audits, a => a.Changes.Contains("customer called: paid, no card"));
    }

    [Fact]
    public async Task AMerchantsStaffCannotCompleteOrdersEvenByCallingTheServiceDirectly()
    {
        var placed = await PlacedOrderAsync();
        await MarkPaidAsync(placed, DateTimeOffset.UtcNow.AddMinutes(-10));
        await using var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(placed.MerchantId, "admin@aroma.demo");

        var refusal = await Assert.ThrowsAsync<DomainException>(() =>
            scope.ServiceProvider.GetRequiredService<OrderReconciliation>().CompleteAsync(placed.OrderId, "trying"));

        Assert.Equal("Reconciliation.OnlySupport", refusal.Refusal.Code);
        await using var db = ForMerchant(app, placed.MerchantId);
        Assert.Equal(OrderStatus.Paid, await db.Orders.Where(o => o.Id == placed.OrderId).Select(o => o.Status).SingleAsync());
    }
}
