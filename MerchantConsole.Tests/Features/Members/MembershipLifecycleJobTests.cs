using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>The <c>membership-lifecycle</c> job and staff overrides on a real database built by the migrations.</summary>
public sealed class MembershipLifecycleJobTests : IAsyncLifetime
{
    private MembersHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await MembersHarness.CreateAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private MembershipLifecycleJob Job(int batchSize = 2) =>
        new(_harness.Database.Contexts, _harness.Database.Clock, Options.Create(new MembersOptions { LifecycleBatchSize = batchSize }));

    private MemberTiers Tiers(Guid? merchantId = null)
    {
        var scope = new MerchantConsole.Data.MerchantScope();
        scope.UseMerchant(merchantId ?? _harness.Merchant.Id, "admin@members.test");
        return new MemberTiers(new MerchantConsole.Data.MerchantDbContextFactory(_harness.Database.Contexts, scope), scope, _harness.Database.Clock);
    }

    private async Task<Guid> EnrolAsync(MembershipPlan plan, string tier, string phone, Guid? merchantId = null) =>
        (await _harness.Enrolment(merchantId).EnrolAsync(MembersHarness.Request(plan, tier, phone: phone, name: "会员" + phone))).MembershipId!.Value;

    private async Task<Membership> MembershipAsync(Guid id)
    {
        await using var db = _harness.Database.Unscoped();
        return await db.Memberships.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private async Task<List<TierChange>> HistoryAsync(Guid id)
    {
        await using var db = _harness.Database.Unscoped();
        return await db.TierChanges.IgnoreQueryFilters().AsNoTracking().Where(c => c.MembershipId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync();
    }

    private async Task FulfilledOrderAsync(MembershipPlan plan, Guid membershipId, long amount, OrderStatus status = OrderStatus.Fulfilled)
    {
        var membership = await MembershipAsync(membershipId);
        var now = _harness.Database.Clock.GetUtcNow();
        var order = Order.Place(membership.MerchantId, membership.CustomerId, plan.Id, membership.TierId, Guid.NewGuid(), Guid.NewGuid(),
            new Money(amount, "CNY"), Guid.NewGuid().ToString("N"), false, now, TimeSpan.FromMinutes(15));
        if (status == OrderStatus.Fulfilled)
        {
            order.AttachPayment("pay-" + Guid.NewGuid().ToString("N"), now);
            order.RecordPayment(order.PaymentId!, new Money(amount, "CNY"), now);
            order.MarkFulfilled(membershipId, now);
        }
        await using var db = _harness.Database.For(membership.MerchantId);
        db.Orders.Add(order);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task TheJobExpiresMembershipsPastTheirEndInBatchesAndASecondRunChangesNothing()
    {
        var plan = await _harness.ActivePlanAsync();
        var gold = new List<Guid>();
        for (var i = 0; i < 5; i++)
            gold.Add(await EnrolAsync(plan, "Gold", $"1380013800{i}"));
        var silver = await EnrolAsync(plan, "Silver", "13900139000");
        var otherPlan = await _harness.ActivePlanAsync(_harness.OtherMerchant.Id);
        var otherGold = await EnrolAsync(otherPlan, "Gold", "13700137000", _harness.OtherMerchant.Id);

        var early = await Job().RunAsync(CancellationToken.None);
        Assert.Equal(0, early.Expired);

        _harness.Database.Clock.Advance(TimeSpan.FromDays(367));
        var first = await Job().RunAsync(CancellationToken.None);
        var second = await Job().RunAsync(CancellationToken.None);

        Assert.Equal(6, first.Expired);
        Assert.Equal(0, second.Expired);
        foreach (var id in gold.Append(otherGold))
            Assert.Equal(MembershipStatus.Expired, (await MembershipAsync(id)).Status);
        Assert.Equal(MembershipStatus.Active, (await MembershipAsync(silver)).Status);
        await using var db = _harness.Database.Unscoped();
        var counts = await db.MemberCounts.IgnoreQueryFilters().AsNoTracking().Where(c => c.MerchantId == _harness.Merchant.Id).ToListAsync();
        Assert.Equal(5, counts.Single(c => c.Status == MembershipStatus.Expired).Count);
        Assert.Equal(0, counts.Where(c => c.Status == MembershipStatus.Active && c.TierId == plan.Tiers.Single(t => t.Name == "Gold").Id).Sum(c => c.Count));
        Assert.True(await db.AuditEntries.IgnoreQueryFilters().AnyAsync(a => a.EntityId == gold[0].ToString() && a.UserName == MembershipLifecycleJob.Actor));
    }

    [Fact]
    public async Task SpendFromFulfilledOrdersRaisesTheTierOnceAndAPinIsRespected()
    {
        var plan = await _harness.ActivePlanAsync(goldSpend: 100_000);
        var silverId = plan.Tiers.Single(t => t.Name == "Silver").Id;
        var goldId = plan.Tiers.Single(t => t.Name == "Gold").Id;
        var spender = await EnrolAsync(plan, "Silver", "13800138001");
        var pinned = await EnrolAsync(plan, "Silver", "13800138002");
        var small = await EnrolAsync(plan, "Silver", "13800138003");
        await FulfilledOrderAsync(plan, spender, 60_000);
        await FulfilledOrderAsync(plan, spender, 50_000);
        await FulfilledOrderAsync(plan, spender, 900_000, OrderStatus.Pending);
        await FulfilledOrderAsync(plan, pinned, 200_000);
        await FulfilledOrderAsync(plan, small, 99_999);
        var pin = await Tiers().OverrideAsync(new TierOverrideRequest(pinned, TierOverrideKind.Pin, silverId, null, "Employee account"));
        Assert.True(pin.Succeeded, pin.Refusal?.English);

        var first = await Job().RunAsync(CancellationToken.None);
        var second = await Job().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first.TierChanges, second.TierChanges));
        var raised = await MembershipAsync(spender);
        Assert.Equal((goldId, 110_000L), (raised.TierId, raised.SpendMinorUnits));
        Assert.Equal(silverId, (await MembershipAsync(pinned)).TierId);
        Assert.Equal(goldId, (await MembershipAsync(pinned)).EarnedTierId);
        Assert.Equal(silverId, (await MembershipAsync(small)).TierId);
        var history = Assert.Single(await HistoryAsync(spender));
        Assert.Equal((silverId, goldId, TierChangeReason.Recalculated, MembershipLifecycleJob.Actor), (history.FromTierId, history.ToTierId, history.Reason, history.By));
        var pinHistory = Assert.Single(await HistoryAsync(pinned));
        Assert.Equal((TierChangeReason.OverrideSet, "Employee account", "admin@members.test"), (pinHistory.Reason, pinHistory.Note, pinHistory.By));
    }

    [Fact]
    public async Task ATemporaryOverrideLapsesThroughTheJobAfterItsDate()
    {
        var plan = await _harness.ActivePlanAsync();
        var silverId = plan.Tiers.Single(t => t.Name == "Silver").Id;
        var goldId = plan.Tiers.Single(t => t.Name == "Gold").Id;
        var member = await EnrolAsync(plan, "Silver", "13800138001");
        var until = _harness.Database.Clock.GetUtcNow().AddDays(7);
        var set = await Tiers().OverrideAsync(new TierOverrideRequest(member, TierOverrideKind.Temporary, goldId, until, "Trial month"));
        Assert.True(set.Succeeded, set.Refusal?.English);
        Assert.Equal(goldId, (await MembershipAsync(member)).TierId);

        await Job().RunAsync(CancellationToken.None);
        Assert.Equal(goldId, (await MembershipAsync(member)).TierId);

        _harness.Database.Clock.Advance(TimeSpan.FromDays(7));
        var lapsed = await Job().RunAsync(CancellationToken.None);
        var again = await Job().RunAsync(CancellationToken.None);

        var after = await MembershipAsync(member);
        Assert.Equal((silverId, (TierOverrideKind?)null), (after.TierId, after.OverrideKind));
        Assert.Equal((1, 0), (lapsed.TierChanges, again.TierChanges));
        Assert.Equal([TierChangeReason.OverrideSet, TierChangeReason.OverrideLapsed], (await HistoryAsync(member)).Select(c => c.Reason));
    }

    [Fact]
    public async Task AnOverrideWithoutAReasonIsRefusedAndAnotherMerchantsMemberIsNotFound()
    {
        var plan = await _harness.ActivePlanAsync();
        var goldId = plan.Tiers.Single(t => t.Name == "Gold").Id;
        var member = await EnrolAsync(plan, "Silver", "13800138001");

        var refused = await Tiers().OverrideAsync(new TierOverrideRequest(member, TierOverrideKind.Pin, goldId, null, " "));
        var otherMerchant = await Tiers(_harness.OtherMerchant.Id).OverrideAsync(new TierOverrideRequest(member, TierOverrideKind.Pin, goldId, null, "x"));

        Assert.Equal("Membership.OverrideReasonRequired", refused.Refusal?.Code);
        Assert.False(otherMerchant.Found);
        Assert.NotEqual(goldId, (await MembershipAsync(member)).TierId);
        Assert.Empty(await HistoryAsync(member));
    }
}
