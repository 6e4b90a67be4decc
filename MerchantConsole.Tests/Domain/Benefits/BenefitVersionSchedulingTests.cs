using MerchantConsole.Domain.Benefits;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Benefits;

/// <summary>
/// A new version of an Active benefit takes over on its effective date: at once when that date is today or earlier,
/// else the version in force stays Active until the day comes and <see cref="Benefit.SupersedeDue"/> ends it.
/// </summary>
public sealed class BenefitVersionSchedulingTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AVersionEffectiveTodaySupersedesTheLiveOneAtOnce()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        var v1 = benefit.Versions.Single();

        var superseded = Activate(benefit, Today);

        Assert.Same(v1, Assert.Single(superseded));
        Assert.Equal(BenefitVersionStatus.Superseded, v1.Status);
        Assert.Equal(2, benefit.InForceOn(Today)!.Number);
        Assert.Empty(benefit.ScheduledAfter(Today));
    }

    [Fact]
    public void AVersionEffectiveInThePastAlsoSupersedesAtOnce()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));

        var superseded = Activate(benefit, Today.AddDays(-3));

        Assert.Equal(1, Assert.Single(superseded).Number);
    }

    [Fact]
    public void AVersionDatedLaterLeavesTheLiveOneInForceUntilItsDay()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        var from = Today.AddDays(5);

        var superseded = Activate(benefit, from);

        Assert.Empty(superseded);
        Assert.Equal([BenefitVersionStatus.Active, BenefitVersionStatus.Active], benefit.Versions.Select(v => v.Status));
        Assert.Equal(1, benefit.InForceOn(Today)!.Number);
        Assert.Equal(1, benefit.InForceOn(from.AddDays(-1))!.Number);
        Assert.Equal(2, benefit.InForceOn(from)!.Number);
        Assert.Equal(2, Assert.Single(benefit.ScheduledAfter(Today)).Number);
        Assert.Empty(benefit.DueToSupersede(from.AddDays(-1)));
    }

    [Fact]
    public void OnTheScheduledDayTheVersionItFollowsIsSupersededOnce()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        var from = Today.AddDays(5);
        Activate(benefit, from);
        var later = Now.AddDays(5);

        var first = benefit.SupersedeDue(from, later);
        var again = benefit.SupersedeDue(from.AddDays(1), later.AddDays(1));

        var v1 = Assert.Single(first);
        Assert.Equal((1, BenefitVersionStatus.Superseded, later), (v1.Number, v1.Status, v1.EndedAt));
        Assert.Empty(again);
        Assert.Equal(2, Assert.Single(benefit.ActiveVersions).Number);
    }

    [Fact]
    public void AScheduledVersionReplacedByAnotherOfTheSameDateIsSupersededAtOnceAndTheLiveOneStays()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        var from = Today.AddDays(5);
        Activate(benefit, from);

        var superseded = Activate(benefit, from);

        Assert.Equal(2, Assert.Single(superseded).Number);
        Assert.Equal(1, benefit.InForceOn(Today)!.Number);
        Assert.Equal(3, Assert.Single(benefit.ScheduledAfter(Today)).Number);
    }

    [Fact]
    public void TwoScheduledVersionsTakeOverEachOnItsOwnDay()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        Activate(benefit, Today.AddDays(5));
        Activate(benefit, Today.AddDays(9));

        Assert.Equal([2, 3], benefit.ScheduledAfter(Today).Select(v => v.Number));
        Assert.Equal([1], benefit.SupersedeDue(Today.AddDays(5), Now.AddDays(5)).Select(v => v.Number));
        Assert.Equal(2, benefit.InForceOn(Today.AddDays(8))!.Number);
        Assert.Equal([2], benefit.SupersedeDue(Today.AddDays(9), Now.AddDays(9)).Select(v => v.Number));
        Assert.Equal(3, Assert.Single(benefit.ActiveVersions).Number);
    }

    [Fact]
    public void AVersionDatedBeforeTheScheduledOneIsRefused()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        Activate(benefit, Today.AddDays(5));
        benefit.EditableDraft(Today.AddDays(2), "admin", Now).SetCustomText("Earlier");

        var refusal = Assert.Throws<MerchantConsole.Domain.Common.DomainException>(() => benefit.BeginActivation("admin", Now));

        Assert.Equal("Benefit.EffectiveBeforeLive", refusal.Refusal.Code);
    }

    [Fact]
    public void RetiringEndsTheLiveAndTheScheduledVersions()
    {
        var benefit = LiveBenefit(Today.AddDays(-10));
        Activate(benefit, Today.AddDays(5));

        var retired = benefit.Retire("admin", Now);

        Assert.Equal([1, 2], retired.Select(v => v.Number).Order());
        Assert.Null(benefit.InForceOn(Today.AddDays(6)));
    }

    private static Benefit LiveBenefit(DateOnly from) => TestBenefits.Live(new PlanBuilder().Build(), from, Today, Now);

    private static IReadOnlyList<BenefitVersion> Activate(Benefit benefit, DateOnly from) => TestBenefits.Activate(benefit, from, Today, Now);
}
