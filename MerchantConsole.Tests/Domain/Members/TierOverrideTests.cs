using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Members;

/// <summary>Staff tier overrides and the tier recalculation that respects them.</summary>
public sealed class TierOverrideTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly Guid Platinum = Guid.NewGuid();
    private const long PlatinumSpend = 500_000;

    private readonly MembershipPlan _plan;
    private readonly TierLadder _ladder;
    private readonly Guid _silver;
    private readonly Guid _gold;

    public TierOverrideTests()
    {
        _plan = new PlanBuilder().Build();
        foreach (var tier in _plan.Tiers)
            _plan.AddChannel(tier.Id, JoinChannelType.Manual, null, null, null, Now);
        PlanBuilder.Activate(_plan);
        _silver = _plan.Tier("Silver").Id;
        _gold = _plan.Tier("Gold").Id;
        // The builder's Gold is earned by 1,000.00 of spend; a third tier above it by 5,000.00.
        _ladder = new TierLadder(_plan.Id, TierLadder.Of(_plan).Rungs.Append(new TierRung(Platinum, 3, UpgradeRule.CumulativeSpend, PlatinumSpend)));
    }

    private Membership SilverMember()
    {
        var customer = Customer.Create(PlanBuilder.MerchantId, "13800138000", "王小明", null, null, Now);
        var channel = _plan.Tier("Silver").JoinChannels.Single(c => c.Type == JoinChannelType.Manual);
        return Membership.Enrol(_plan, _silver, channel.Id, EnrolmentSource.Staff, null, customer, CardNumbers.Generate(), Shanghai, Now);
    }

    [Fact]
    public void SpendRaisesTheTierToTheHighestThresholdReachedAndRecordsWhy()
    {
        var member = SilverMember();

        var change = member.Recalculate(_ladder, 120_000, "system:test", Now);

        Assert.Equal(_gold, member.TierId);
        Assert.Equal(_gold, member.EarnedTierId);
        Assert.Equal(120_000, member.SpendMinorUnits);
        Assert.NotNull(change);
        Assert.Equal((_silver, _gold, TierChangeReason.Recalculated, "system:test"), (change.FromTierId, change.ToTierId, change.Reason, change.By));
        Assert.Null(member.Recalculate(_ladder, 120_000, "system:test", Now.AddDays(1)));
    }

    [Fact]
    public void RecalculationNeverLowersAnEarnedTier()
    {
        var member = SilverMember();
        member.Recalculate(_ladder, 120_000, "system:test", Now);

        var change = member.Recalculate(_ladder, 0, "system:test", Now.AddDays(1));

        Assert.Null(change);
        Assert.Equal(_gold, member.TierId);
    }

    [Fact]
    public void APinWinsOverSpend()
    {
        var member = SilverMember();

        var set = member.OverrideTier(_ladder, TierOverrideKind.Pin, _silver, null, "Staff discount account", "admin@a", Now);
        var change = member.Recalculate(_ladder, PlatinumSpend, "system:test", Now.AddDays(1));

        Assert.Equal((TierChangeReason.OverrideSet, TierOverrideKind.Pin, "Staff discount account"), (set.Reason, set.OverrideKind, set.Note));
        Assert.Null(change);
        Assert.Equal(_silver, member.TierId);
        Assert.Equal(Platinum, member.EarnedTierId);
    }

    [Fact]
    public void AFloorRaisesALowerTierAndSpendCanStillGoAboveIt()
    {
        var member = SilverMember();

        var set = member.OverrideTier(_ladder, TierOverrideKind.Floor, _gold, null, "Complaint goodwill", "admin@a", Now);
        Assert.Equal((_silver, _gold), (set.FromTierId, set.ToTierId));
        Assert.Equal(_gold, member.TierId);

        Assert.Null(member.Recalculate(_ladder, 120_000, "system:test", Now.AddDays(1)));
        var above = member.Recalculate(_ladder, PlatinumSpend, "system:test", Now.AddDays(2));

        Assert.Equal(Platinum, member.TierId);
        Assert.Equal((_gold, Platinum, TierChangeReason.Recalculated), (above!.FromTierId, above.ToTierId, above.Reason));
        Assert.Equal(TierOverrideKind.Floor, member.OverrideKind);
    }

    [Fact]
    public void AFloorBelowTheEarnedTierKeepsTheTierAndIsStillRecorded()
    {
        var member = SilverMember();
        member.Recalculate(_ladder, 120_000, "system:test", Now);

        var set = member.OverrideTier(_ladder, TierOverrideKind.Floor, _silver, null, "Keep at least Silver", "admin@a", Now);

        Assert.Equal((_gold, _gold), (set.FromTierId, set.ToTierId));
        Assert.Equal(_gold, member.TierId);
    }

    [Fact]
    public void ATemporaryTierHoldsUntilItsDateThenLapsesToTheEarnedTier()
    {
        var member = SilverMember();
        var until = Now.AddDays(7);
        member.OverrideTier(_ladder, TierOverrideKind.Temporary, _gold, until, "Trial of Gold", "admin@a", Now);
        Assert.Equal(_gold, member.TierId);

        Assert.Null(member.Recalculate(_ladder, 0, "system:test", until.AddTicks(-1)));
        Assert.Equal(_gold, member.TierId);

        var lapsed = member.Recalculate(_ladder, 0, "system:test", until);

        Assert.Equal(_silver, member.TierId);
        Assert.Null(member.OverrideKind);
        Assert.Null(member.OverrideReason);
        Assert.Equal((_gold, _silver, TierChangeReason.OverrideLapsed, TierOverrideKind.Temporary, until),
            (lapsed!.FromTierId, lapsed.ToTierId, lapsed.Reason, lapsed.OverrideKind, lapsed.OverrideUntil));
        Assert.Null(member.Recalculate(_ladder, 0, "system:test", until.AddDays(1)));
    }

    [Fact]
    public void RemovingAnOverrideGoesBackToTheEarnedTier()
    {
        var member = SilverMember();
        member.OverrideTier(_ladder, TierOverrideKind.Pin, Platinum, null, "VIP", "admin@a", Now);

        var cleared = member.ClearOverride(_ladder, "VIP period over", "admin@a", Now.AddDays(1));

        Assert.Equal(_silver, member.TierId);
        Assert.Equal((Platinum, _silver, TierChangeReason.OverrideCleared, "VIP period over"), (cleared.FromTierId, cleared.ToTierId, cleared.Reason, cleared.Note));
        Assert.Equal("Membership.NoOverride",
            Assert.Throws<DomainException>(() => member.ClearOverride(_ladder, "again", "admin@a", Now)).Refusal.Code);
    }

    [Theory]
    [InlineData(TierOverrideKind.Pin, "  ", false, "Membership.OverrideReasonRequired")]
    [InlineData(TierOverrideKind.Temporary, "Trial", false, "Membership.OverrideUntilRequired")]
    [InlineData(TierOverrideKind.Temporary, "Trial", true, "Membership.OverrideUntilPast")]
    public void AnOverrideNeedsAReasonAndATemporaryOneAFutureEnd(TierOverrideKind kind, string reason, bool pastEnd, string code)
    {
        var member = SilverMember();
        DateTimeOffset? until = pastEnd ? Now.AddMinutes(-1) : null;

        var refusal = Assert.Throws<DomainException>(() => member.OverrideTier(_ladder, kind, _gold, until, reason, "admin@a", Now)).Refusal;

        Assert.Equal(code, refusal.Code);
        Assert.Equal(_silver, member.TierId);
        Assert.Null(member.OverrideKind);
    }

    [Fact]
    public void AnOverrideToATierOfAnotherPlanOrOfAnEndedMembershipIsRefused()
    {
        var member = SilverMember();
        Assert.Equal("Membership.OverrideTierNotOfPlan",
            Assert.Throws<DomainException>(() => member.OverrideTier(_ladder, TierOverrideKind.Pin, Guid.NewGuid(), null, "x", "a", Now)).Refusal.Code);

        member.Cancel(Now);

        Assert.Equal("Membership.OverrideNotActive",
            Assert.Throws<DomainException>(() => member.OverrideTier(_ladder, TierOverrideKind.Pin, _gold, null, "x", "a", Now)).Refusal.Code);
    }
}
