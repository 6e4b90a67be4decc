using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Members;

public sealed class MembershipTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now; // 2025-06-01 09:00 +08:00
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>The builder's Active plan plus a Manual channel on both tiers (added before activation).</summary>
    private static MembershipPlan ActivePlanWithManualChannels()
    {
        var plan = new PlanBuilder().Build();
        foreach (var tier in plan.Tiers)
            plan.AddChannel(tier.Id, JoinChannelType.Manual, null, null, null, Now);
        PlanBuilder.Activate(plan);
        return plan;
    }

    private static Customer ACustomer(Guid? merchantId = null) =>
        Customer.Create(merchantId ?? PlanBuilder.MerchantId, "13800138000", "王小明", null, null, Now);

    private static JoinChannel Manual(MembershipPlan plan, string tier) =>
        plan.Tier(tier).JoinChannels.Single(c => c.Type == JoinChannelType.Manual);

    private static Membership Enrol(MembershipPlan plan, string tier, JoinChannel channel, EnrolmentSource source = EnrolmentSource.Staff,
        string? inviteCode = null, Customer? customer = null, DateTimeOffset? at = null) =>
        Membership.Enrol(plan, plan.Tier(tier).Id, channel.Id, source, inviteCode, customer ?? ACustomer(), CardNumbers.Generate(), Shanghai, at ?? Now);

    [Fact]
    public void StaffEnrolAnActiveMemberWithTheCardOfThePlansTemplateVersion()
    {
        var plan = ActivePlanWithManualChannels();
        var customer = ACustomer();

        var membership = Enrol(plan, "Silver", Manual(plan, "Silver"), customer: customer);

        Assert.Equal(MembershipStatus.Active, membership.Status);
        Assert.Equal(plan.CardTemplateVersionId, membership.CardTemplateVersionId);
        Assert.Equal((customer.Id, plan.Id, plan.Tier("Silver").Id), (membership.CustomerId, membership.PlanId, membership.TierId));
        Assert.Equal(Now, membership.JoinedAt);
        Assert.Null(membership.ExpiresAt);
        Assert.True(CardNumbers.IsValid(membership.CardNumber));
        Assert.Equal(new MemberJoined(membership.Id, customer.Id, plan.Id, plan.Tier("Silver").Id, Now), membership.JoinedMessage());
    }

    [Fact]
    public void ATierOfNDaysEndsAtTheEndOfTheNthDayInTheMerchantsZone()
    {
        var plan = ActivePlanWithManualChannels();
        // 2025-06-01 23:30 in Shanghai is still 15:30 UTC: the local date decides.
        var lateEvening = new DateTimeOffset(2025, 6, 1, 15, 30, 0, TimeSpan.Zero);

        var membership = Enrol(plan, "Gold", Manual(plan, "Gold"), at: lateEvening);

        Assert.Equal(new DateTimeOffset(2026, 6, 2, 0, 0, 0, TimeSpan.FromHours(8)), membership.ExpiresAt);
        Assert.True(membership.IsValidAt(new DateTimeOffset(2026, 6, 1, 23, 59, 0, TimeSpan.FromHours(8))));
        Assert.False(membership.IsValidAt(membership.ExpiresAt!.Value));
    }

    [Fact]
    public void APermanentTierFollowsThePlansValidityPolicy()
    {
        var plan = new PlanBuilder().Build();
        plan.SetValidity(ValidityPolicy.UntilDate, null, new DateOnly(2025, 12, 31), Now);
        plan.AddChannel(plan.Tier("Silver").Id, JoinChannelType.Manual, null, null, null, Now);
        PlanBuilder.Activate(plan);

        var membership = Enrol(plan, "Silver", Manual(plan, "Silver"));

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), membership.ExpiresAt);
    }

    [Fact]
    public void APlanThatIsNotActiveRefusesMembers()
    {
        var draft = new PlanBuilder().Build();
        draft.AddChannel(draft.Tier("Silver").Id, JoinChannelType.Manual, null, null, null, Now);

        var refusal = Assert.Throws<DomainException>(() => Enrol(draft, "Silver", Manual(draft, "Silver")));

        Assert.Equal("Enrolment.PlanNotActive", refusal.Refusal.Code);
        Assert.Equal(PlanStatus.Draft, refusal.Refusal.Arguments["Status"]);
    }

    [Fact]
    public void AChannelOfAnotherTierIsRefused()
    {
        var plan = ActivePlanWithManualChannels();

        var refusal = Assert.Throws<DomainException>(() => Enrol(plan, "Silver", Manual(plan, "Gold")));

        Assert.Equal("Enrolment.ChannelNotOfTier", refusal.Refusal.Code);
    }

    [Fact]
    public void ATierOfAnotherPlanIsRefused()
    {
        var plan = ActivePlanWithManualChannels();
        var other = ActivePlanWithManualChannels();

        var refusal = Assert.Throws<DomainException>(() => Membership.Enrol(plan, other.Tier("Silver").Id, Manual(other, "Silver").Id,
            EnrolmentSource.Staff, null, ACustomer(), CardNumbers.Generate(), Shanghai, Now));

        Assert.Equal("Enrolment.TierNotOfPlan", refusal.Refusal.Code);
    }

    [Fact]
    public void ATierOrChannelWaitingInARevisionIsNotJoinedYet()
    {
        var plan = ActivePlanWithManualChannels();
        var platinum = plan.AddTier("Platinum", "#E5E4E2", UpgradeRule.None, null, TierValidity.Permanent, null, Now);
        var pendingChannel = plan.AddChannel(platinum.Id, JoinChannelType.Manual, null, null, null, Now);
        var pendingSilverChannel = plan.AddChannel(plan.Tier("Silver").Id, JoinChannelType.Manual, null, null, null, Now);

        Assert.Equal("Enrolment.TierNotOfPlan", Assert.Throws<DomainException>(() => Enrol(plan, "Platinum", pendingChannel)).Refusal.Code);
        Assert.Equal("Enrolment.ChannelNotOfTier", Assert.Throws<DomainException>(() => Enrol(plan, "Silver", pendingSilverChannel)).Refusal.Code);
    }

    [Fact]
    public void ADisabledChannelIsRefused()
    {
        var plan = ActivePlanWithManualChannels();
        plan.SetChannelEnabled(Manual(plan, "Silver").Id, false, Now);

        Assert.Equal("Enrolment.ChannelDisabled", Assert.Throws<DomainException>(() => Enrol(plan, "Silver", Manual(plan, "Silver"))).Refusal.Code);
    }

    [Theory]
    [InlineData(JoinChannelType.FreeSignup)]
    [InlineData(JoinChannelType.InviteCode)]
    [InlineData(JoinChannelType.StoreQr)]
    public void StaffEnrolOnlyThroughAManualChannel(JoinChannelType type)
    {
        var plan = ActivePlanWithManualChannels();

        var refusal = Assert.Throws<DomainException>(() => Enrol(plan, "Silver", plan.Tier("Silver").JoinChannels.Single(c => c.Type == type)));

        Assert.Equal("Enrolment.StaffOnlyManual", refusal.Refusal.Code);
        Assert.Equal(type, refusal.Refusal.Arguments["Type"]);
    }

    [Fact]
    public void EachWayOfJoiningUsesItsOwnKindsOfChannel()
    {
        var plan = ActivePlanWithManualChannels();
        var freeSignup = plan.Channel(JoinChannelType.FreeSignup);
        var invite = plan.Channel(JoinChannelType.InviteCode);

        Assert.Equal(MembershipStatus.Active, Enrol(plan, "Silver", freeSignup, EnrolmentSource.SelfService).Status);
        Assert.Equal(MembershipStatus.Active, Enrol(plan, "Silver", invite, EnrolmentSource.SelfService, " welcome-2025 ").Status);
        Assert.Equal("Enrolment.InviteCodeWrong",
            Assert.Throws<DomainException>(() => Enrol(plan, "Silver", invite, EnrolmentSource.SelfService, "GUESS-1234")).Refusal.Code);
        Assert.Equal("Enrolment.ChannelNotForSource",
            Assert.Throws<DomainException>(() => Enrol(plan, "Silver", Manual(plan, "Silver"), EnrolmentSource.SelfService)).Refusal.Code);
        Assert.All(Enum.GetValues<JoinChannelType>(), type =>
            Assert.Single(Enum.GetValues<EnrolmentSource>(), source => Membership.Allows(source, type)));
    }

    [Fact]
    public void ACustomerOfAnotherMerchantIsRefused()
    {
        var plan = ActivePlanWithManualChannels();

        var refusal = Assert.Throws<DomainException>(() => Enrol(plan, "Silver", Manual(plan, "Silver"), customer: ACustomer(Guid.NewGuid())));

        Assert.Equal("Enrolment.CustomerOfAnotherMerchant", refusal.Refusal.Code);
    }

    [Fact]
    public void AMembershipExpiresOnlyOnceItsEndHasPassedAndCancellingIsFinal()
    {
        var plan = ActivePlanWithManualChannels();
        var membership = Enrol(plan, "Gold", Manual(plan, "Gold"));

        Assert.Equal("Membership.NotYetExpired", Assert.Throws<DomainException>(() => membership.Expire(Now.AddDays(30))).Refusal.Code);
        membership.Expire(membership.ExpiresAt!.Value);
        Assert.Equal(MembershipStatus.Expired, membership.Status);
        membership.Cancel(Now.AddDays(400));
        Assert.Equal(MembershipStatus.Cancelled, membership.Status);
        Assert.Equal("Membership.CannotExpire", Assert.Throws<DomainException>(() => membership.Expire(Now.AddDays(500))).Refusal.Code);
    }
}
