using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Members;

/// <summary>Renewal by a paid order, and a refunded renewal taking its time back.</summary>
public sealed class MembershipRenewalTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now; // 2025-06-01 09:00 +08:00
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>A Gold member (365 days from joining) who joined at <see cref="Now"/>: valid until 2026-06-02 00:00 in Shanghai.</summary>
    private static (MembershipPlan Plan, Tier Gold, Membership Membership) GoldMember()
    {
        var plan = new PlanBuilder().Build();
        var gold = plan.Tier("Gold");
        var channel = plan.AddChannel(gold.Id, JoinChannelType.Manual, null, null, null, Now);
        PlanBuilder.Activate(plan);
        var customer = Customer.Create(PlanBuilder.MerchantId, "13800138000", "王小明", null, null, Now);
        var membership = Membership.Enrol(plan, gold.Id, channel.Id, EnrolmentSource.Staff, null, customer, CardNumbers.Generate(), Shanghai, Now);
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 0, 0, 0, China), membership.ExpiresAt);
        return (plan, plan.Tier("Gold"), membership);
    }

    [Fact]
    public void RenewingAnActiveMembershipAddsTheTiersDaysToItsCurrentEnd()
    {
        var (plan, gold, membership) = GoldMember();
        var renewedAt = Now.AddDays(10);

        var until = membership.RenewedExpiry(plan, gold, Shanghai, renewedAt);
        membership.Renew(until, renewedAt);

        Assert.Equal(new DateTimeOffset(2027, 6, 2, 0, 0, 0, China), membership.ExpiresAt);
        Assert.Equal(MembershipStatus.Active, membership.Status);
    }

    [Fact]
    public void RenewingALapsedMembershipCountsFromNowAndMakesItActiveAgain()
    {
        var (plan, gold, membership) = GoldMember();
        var later = new DateTimeOffset(2026, 7, 1, 10, 0, 0, China);
        membership.Expire(later);

        membership.Renew(membership.RenewedExpiry(plan, gold, Shanghai, later), later);

        Assert.Equal(MembershipStatus.Active, membership.Status);
        Assert.Equal(new DateTimeOffset(2027, 7, 2, 0, 0, 0, China), membership.ExpiresAt);
    }

    [Fact]
    public void ARefundedRenewalTakesItsTimeBackAndAMembershipLeftPastItsEndLapses()
    {
        var (plan, gold, membership) = GoldMember();
        var before = membership.ExpiresAt!.Value;
        var until = membership.RenewedExpiry(plan, gold, Shanghai, Now)!.Value;
        membership.Renew(until, Now);

        membership.TakeBackRenewal(until - before, Now.AddDays(1));
        Assert.Equal((before, MembershipStatus.Active), (membership.ExpiresAt!.Value, membership.Status));

        membership.Renew(until, Now);
        membership.TakeBackRenewal(until - before, before.AddDays(1));
        Assert.Equal(MembershipStatus.Expired, membership.Status);
    }
}
