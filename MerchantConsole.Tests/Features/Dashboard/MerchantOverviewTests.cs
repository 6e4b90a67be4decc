using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Dashboard;
using MerchantConsole.Tests.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Dashboard;

public sealed class MerchantOverviewTests
{
    private static readonly TimeZoneInfo Shanghai = LocalDays.Zone("Asia/Shanghai");

    [Fact]
    public async Task TheOverviewCountsTheMerchantsOwnMembersByTierAndDayAndRevenueOfPaidOrdersOnly()
    {
        await using var harness = await MembersHarness.CreateAsync();
        var clock = harness.Database.Clock;
        var plan = await harness.ActivePlanAsync();
        var otherPlan = await harness.ActivePlanAsync(harness.OtherMerchant.Id);
        var enrolment = harness.Enrolment();
        await enrolment.EnrolAsync(MembersHarness.Request(plan, phone: "13800000001"));
        clock.Advance(TimeSpan.FromDays(1));
        var buyer = await enrolment.EnrolAsync(MembersHarness.Request(plan, phone: "13800000002"));
        await enrolment.EnrolAsync(MembersHarness.Request(plan, "Gold", phone: "13800000003"));
        await harness.Enrolment(harness.OtherMerchant.Id).EnrolAsync(MembersHarness.Request(otherPlan, phone: "13800000004"));
        var now = clock.GetUtcNow();
        await using (var db = harness.Database.For(harness.Merchant.Id))
        {
            var customerId = await db.Memberships.Where(m => m.Id == buyer.MembershipId).Select(m => m.CustomerId).SingleAsync();
            var tierId = plan.Tiers[0].Id;
            var channelId = plan.Tiers[0].JoinChannels[0].Id;
            Order OrderOf(string key, long price)
            {
                var order = Order.Place(harness.Merchant.Id, customerId, plan.Id, tierId, channelId, Guid.NewGuid(), new Money(price, "CNY"), key, false,
                    now, TimeSpan.FromMinutes(15));
                order.AttachPayment("pay-" + key, now);
                return order;
            }
            var paid = OrderOf("paid", 19_900);
            paid.RecordPayment("pay-paid", paid.Price, now);
            var unpaid = OrderOf("unpaid", 7_000);
            db.Orders.AddRange(paid, unpaid);
            await db.SaveChangesAsync();
        }

        var overview = await new MerchantOverviewService(harness.Contexts(), clock).LoadAsync(Shanghai, "CNY");
        var other = await new MerchantOverviewService(harness.Contexts(harness.OtherMerchant.Id), clock).LoadAsync(Shanghai, "CNY");

        Assert.Equal(3, overview.ActiveMembers);
        Assert.Equal([("Silver", 2), ("Gold", 1)], overview.ByTier.Select(t => (t.TierName, t.Members)).OrderByDescending(t => t.Members));
        Assert.Equal(MerchantOverviewService.Days, overview.Days.Count);
        var today = overview.Days[^1];
        var yesterday = overview.Days[^2];
        Assert.Equal(LocalDays.DateOf(now, Shanghai), today.Day);
        Assert.Equal(2, today.NewMembers);
        Assert.Equal(1, yesterday.NewMembers);
        Assert.Equal(19_900, today.RevenueMinorUnits);
        Assert.Equal(19_900, overview.Days.Sum(d => d.RevenueMinorUnits));
        Assert.Equal(1, overview.PaidOrders);
        Assert.Equal(1, other.ActiveMembers);
        Assert.Equal(0, other.PaidOrders);
        Assert.Equal(0, other.Days.Sum(d => d.RevenueMinorUnits));
    }
}
