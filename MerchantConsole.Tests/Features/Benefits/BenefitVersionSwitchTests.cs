using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Feed;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Members;
using MerchantConsole.Messaging;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>
/// A new version of an Active benefit dated later (issue 8: "effective from a chosen date"): the version in force keeps
/// issuing until that day starts in the merchant's zone, then the switch-over job supersedes it.
/// </summary>
public sealed class BenefitVersionSwitchTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task AVersionDatedLaterLeavesTheLiveOneIssuingUntilItsDayWhenTheJobSupersedesIt()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync("Welcome");
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        var from = harness.Today.AddDays(3);

        await ScheduleVersionAsync(harness, benefitId, from);

        var (v1, v2) = await VersionsAsync(harness, benefitId);
        Assert.Equal((BenefitVersionStatus.Active, BenefitVersionStatus.Active), (v1.Status, v2.Status));
        Assert.Equal(CouponActivityStatus.Effective, (await CouponActivityAsync(harness, v1)).Status);
        var early = await EnrolAsync(harness, "13800138000");
        await harness.DispatchAsync();
        var earlyCoupon = Assert.Single(await harness.AllAsync<Coupon>());
        Assert.Equal((early, v1.Id, v1.CouponActivityId), (earlyCoupon.MembershipId, earlyCoupon.BenefitVersionId, (Guid?)earlyCoupon.CouponActivityId));
        // The scheduled version's coupon activity does not issue before its day, whoever asks.
        var tooEarly = await Issuer(harness).IssueAsync(new IssueRequest(v2.CouponActivityId!.Value, early, "grant:early", v2.Id), harness.Activation.Clock.GetUtcNow());
        Assert.Equal((IssueOutcome.Refused, "Coupon.ActivityNotEffective"), (tooEarly.Outcome, tooEarly.Refusal?.Code));
        var before = await harness.Service().FindAsync(benefitId);
        Assert.Equal(1, before!.InForce?.Number);
        Assert.Equal((2, from), (Assert.Single(before.Scheduled).Number, before.Scheduled[0].EffectiveFrom));
        Assert.Equal(0, await harness.SwitchJob().RunAsync(CancellationToken.None));
        Assert.Equal(BenefitVersionStatus.Active, (await VersionsAsync(harness, benefitId)).V1.Status);

        var dayStarts = LocalDays.StartOf(from, Shanghai);
        MoveClockTo(harness, dayStarts.AddMinutes(1));
        var superseded = await harness.SwitchJob().RunAsync(CancellationToken.None);
        await harness.DispatchAsync();

        Assert.Equal(1, superseded);
        var (old, current) = await VersionsAsync(harness, benefitId);
        Assert.Equal((BenefitVersionStatus.Superseded, harness.Activation.Clock.GetUtcNow()), (old.Status, old.EndedAt));
        Assert.Equal(BenefitVersionStatus.Active, current.Status);
        Assert.Equal(CouponActivityStatus.Ended, (await CouponActivityAsync(harness, old)).Status);
        Assert.Equal(ActivityStatus.Ended, (await harness.ActivityAsync(old.ActivityId))!.Status);
        Assert.Equal(CouponActivityStatus.Effective, (await CouponActivityAsync(harness, current)).Status);
        Assert.All(await harness.AllAsync<ActivityFeedEntry>(), e => Assert.Equal(current.Id, e.BenefitVersionId));
        var late = await EnrolAsync(harness, "13900139000");
        await harness.DispatchAsync();
        var lateCoupon = (await harness.AllAsync<Coupon>()).Single(c => c.MembershipId == late);
        Assert.Equal((current.Id, current.CouponActivityId), (lateCoupon.BenefitVersionId, (Guid?)lateCoupon.CouponActivityId));
        Assert.Equal(v1.Id, (await harness.AllAsync<Coupon>()).Single(c => c.MembershipId == early).BenefitVersionId);
        var after = await harness.Service().FindAsync(benefitId);
        Assert.Equal(2, after!.InForce?.Number);
        Assert.Empty(after.Scheduled);
        Assert.Empty(harness.Activation.InvariantFailures);
    }

    [Fact]
    public async Task TheSwitchJobRunTwiceOrTwiceAtOnceSupersedesTheOldVersionOnce()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync("Welcome");
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        var from = harness.Today.AddDays(1);
        await ScheduleVersionAsync(harness, benefitId, from);
        MoveClockTo(harness, LocalDays.StartOf(from, Shanghai));

        var together = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => harness.SwitchJob().RunAsync(CancellationToken.None))));
        var settled = await harness.BenefitAsync(benefitId);
        var ended = await EndedMessagesAsync(harness);
        var audit = (await harness.AllAsync<AuditEntry>()).Count;
        var again = await harness.SwitchJob().RunAsync(CancellationToken.None);

        Assert.Equal(1, together.Sum());
        Assert.Equal(1, ended);
        Assert.Equal(0, again);
        var final = await harness.BenefitAsync(benefitId);
        Assert.Equal(settled.ConcurrencyStamp, final.ConcurrencyStamp);
        Assert.Equal([BenefitVersionStatus.Superseded, BenefitVersionStatus.Active], final.Versions.OrderBy(v => v.Number).Select(v => v.Status));
        Assert.Equal(1, await EndedMessagesAsync(harness));
        Assert.Equal(audit, (await harness.AllAsync<AuditEntry>()).Count);
    }

    [Fact]
    public async Task MonthlyCouponsGoOnlyToTheVersionInForceOnTheDay()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync("Monthly treat", IssuingRule.MonthlyOn(1));
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        var from = harness.Today.AddDays(4);
        await ScheduleVersionAsync(harness, benefitId, from, IssuingRule.MonthlyOn(1));
        var (v1, v2) = await VersionsAsync(harness, benefitId);
        var audiences = new BenefitCouponAudience(harness.Activation.Clock);

        await using (var db = harness.Activation.Database.For(harness.MerchantId))
        {
            Assert.Equal(v1.Id, (await audiences.AudienceAsync(db, v1.CouponActivityId!.Value, CancellationToken.None))?.BenefitVersionId);
            Assert.Null(await audiences.AudienceAsync(db, v2.CouponActivityId!.Value, CancellationToken.None));
        }
        // The day has started but the job has not run yet: only the new version issues.
        MoveClockTo(harness, LocalDays.StartOf(from, Shanghai));
        await using (var db = harness.Activation.Database.For(harness.MerchantId))
        {
            Assert.Null(await audiences.AudienceAsync(db, v1.CouponActivityId!.Value, CancellationToken.None));
            Assert.Equal(v2.Id, (await audiences.AudienceAsync(db, v2.CouponActivityId!.Value, CancellationToken.None))?.BenefitVersionId);
        }
    }

    /// <summary>A change of the benefit effective from <paramref name="from"/>, activated to the end.</summary>
    private static async Task ScheduleVersionAsync(BenefitHarness harness, Guid benefitId, DateOnly from, IssuingRule? rule = null)
    {
        Assert.True((await harness.Service().StartChangeAsync(benefitId, from)).Succeeded);
        var saved = await harness.Service().SaveSettingsAsync(benefitId,
            new(from, TemplateVersionId: harness.TemplateVersionId, Rule: rule ?? IssuingRule.OnJoin, Budget: 2000));
        Assert.True(saved.Succeeded, saved.Refusal?.English);
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        await harness.DispatchAsync();
    }

    private static async Task<(BenefitVersion V1, BenefitVersion V2)> VersionsAsync(BenefitHarness harness, Guid benefitId)
    {
        var versions = (await harness.BenefitAsync(benefitId)).Versions.OrderBy(v => v.Number).ToList();
        Assert.Equal(2, versions.Count);
        return (versions[0], versions[1]);
    }

    private static async Task<CouponActivity> CouponActivityAsync(BenefitHarness harness, BenefitVersion version) =>
        (await harness.AllAsync<CouponActivity>()).Single(c => c.Id == version.CouponActivityId);

    private static async Task<int> EndedMessagesAsync(BenefitHarness harness) =>
        (await harness.AllAsync<OutboxMessage>()).Count(m => m.Type == OutboxMessage.MessageTypeName<ActivityEnded>());

    private static void MoveClockTo(BenefitHarness harness, DateTimeOffset at)
    {
        var now = harness.Activation.Clock.GetUtcNow();
        Assert.True(at > now, "the clock only moves forward");
        harness.Activation.Clock.Advance(at - now);
    }

    private static CouponIssuer Issuer(BenefitHarness harness) => new(harness.Contexts(), new SecureCouponCodeRandom());

    private static async Task<Guid> EnrolAsync(BenefitHarness harness, string phone)
    {
        var enrolled = await new MembershipEnrolment(harness.Contexts(), harness.Activation.Clock, new RandomCardNumbers())
            .EnrolAsync(new EnrolRequest(harness.Plan.Id, harness.Tier("Silver"), harness.ManualChannel, new CustomerDetails(phone, "会员", null, null)));
        Assert.Equal(EnrolOutcome.Enrolled, enrolled.Outcome);
        return enrolled.MembershipId!.Value;
    }
}
