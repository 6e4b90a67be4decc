using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Orders;

/// <summary>The demo customers of each demo merchant (10 in tests, <c>Demo:Customers</c>), made through the real services.</summary>
[Collection(AppCollection.Name)]
public sealed class OrdersDemoTests(AppFixture app)
{
    [Fact]
    public async Task EachDemoMerchantHasFreeMembersBoughtAndRefundedCardsAnOrderAwaitingPaymentAndAnExpiredOneAndSeedingAgainAddsNone()
    {
        await using var db = app.Factory.CreateUnscopedContext();
        var before = await db.Customers.IgnoreQueryFilters().CountAsync();

        await app.Factory.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<DemoData>().SeedAsync();
            return true;
        });

        Assert.Equal(before, await db.Customers.IgnoreQueryFilters().CountAsync());
        foreach (var (code, prefix) in new[] { ("aroma-coffee", "1371"), ("fresh-orchard", "1372") })
        {
            var merchantId = await db.Merchants.Where(m => m.Code == code).Select(m => m.Id).SingleAsync();
            var customers = await db.Customers.IgnoreQueryFilters().Where(c => c.MerchantId == merchantId && c.Phone.StartsWith(prefix)).ToListAsync();
            var customerIds = customers.Select(c => c.Id).ToList();
            var memberships = await db.Memberships.IgnoreQueryFilters().Where(m => customerIds.Contains(m.CustomerId)).ToListAsync();
            var orders = await db.Orders.IgnoreQueryFilters().Include(o => o.Ledger)
                .Where(o => o.MerchantId == merchantId && o.IdempotencyKey.StartsWith("demo-")).ToListAsync();

            Assert.Equal(10, customers.Count);
            Assert.Equal(6 + 2, memberships.Count); // six free sign-ups, two bought cards (one refunded: its card revoked)
            Assert.Equal(1, memberships.Count(m => m.Status == MembershipStatus.Cancelled));
            Assert.Equal(1, orders.Count(o => o.Status == OrderStatus.Fulfilled));
            Assert.Equal(1, orders.Count(o => o.Status == OrderStatus.Refunded));
            Assert.Equal(1, orders.Count(o => o.Status == OrderStatus.Pending));
            Assert.Equal(1, orders.Count(o => o.Status == OrderStatus.Expired));
            Assert.All(orders.Where(o => o.Status is OrderStatus.Fulfilled or OrderStatus.Refunded),
                o => Assert.Contains(o.Ledger, e => e.Kind == OrderLedgerKind.PaymentReceived));
            Assert.True(memberships.Select(m => m.JoinedAt.UtcDateTime.Date).Distinct().Count() > 1, "joins are spread over the last month");
            Assert.True(await db.Coupons.IgnoreQueryFilters().AnyAsync(c => c.MerchantId == merchantId && c.Status == CouponStatus.Redeemed));
        }
    }
}
