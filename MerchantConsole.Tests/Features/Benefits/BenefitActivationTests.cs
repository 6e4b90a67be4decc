using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Feed;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Benefits.Activation;
using MerchantConsole.Workflows;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>The benefit activation on the generic engine, under every injected fault (issue 8).</summary>
public sealed class BenefitActivationTests
{
    public static TheoryData<string, FaultMode> EveryStepAndFault()
    {
        var data = new TheoryData<string, FaultMode>();
        foreach (var step in BenefitStepName.All)
            foreach (var mode in new[] { FaultMode.Throw, FaultMode.Hang })
                data.Add(step, mode);
        return data;
    }

    [Fact]
    public async Task ACouponBenefitGoesActiveWithItsActivityAndCouponActivityEffectiveAndTheFeedUpdated()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync(tiers: ["Gold"]);

        var (runId, status) = await harness.ActivateAsync(benefitId);
        await harness.DispatchAsync();

        Assert.Equal(WorkflowRunStatus.Succeeded, status);
        var run = await harness.Activation.RunAsync(harness.MerchantId, runId);
        Assert.Equal(BenefitStepName.All, run.Steps.Select(s => s.Name));
        Assert.All(run.Steps, s => Assert.Equal((WorkflowStepStatus.Succeeded, 1), (s.Status, s.Attempts)));
        var version = Assert.Single((await harness.BenefitAsync(benefitId)).Versions);
        Assert.Equal(BenefitVersionStatus.Active, version.Status);
        var activity = await harness.ActivityAsync(version.ActivityId);
        Assert.NotNull(activity);
        Assert.Equal((ActivityStatus.Effective, "Welcome coupon"), (activity.Status, activity.Name));
        var couponActivity = Assert.Single(activity.CouponActivities);
        Assert.Equal((version.CouponActivityId, CouponActivityStatus.Effective, IssueTrigger.OnJoin, harness.TemplateVersionId),
            (couponActivity.Id, couponActivity.Status, couponActivity.Trigger, couponActivity.CouponTemplateVersionId));
        var row = Assert.Single(await harness.AllAsync<ActivityFeedEntry>());
        Assert.Equal((activity.Id, harness.Plan.Id, harness.Tier("Gold"), version.Id, BenefitKind.Coupon, "Welcome coupon"),
            (row.ActivityId, row.PlanId, row.TierId, row.BenefitVersionId, row.Kind, row.Name));
        Assert.Contains("\"CouponValueMinorUnits\":2000", row.Summary);
        Assert.Empty(harness.Activation.InvariantFailures);
    }

    [Fact]
    public async Task ABenefitWithoutCouponsSkipsTheCouponStepsAndStillGetsAnActivityInTheFeed()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.DiscountBenefitAsync(percent: 12);

        var (runId, status) = await harness.ActivateAsync(benefitId);
        await harness.DispatchAsync();

        Assert.Equal(WorkflowRunStatus.Succeeded, status);
        var run = await harness.Activation.RunAsync(harness.MerchantId, runId);
        Assert.Equal([BenefitStepName.CreateActivity, BenefitStepName.ReadPlan, BenefitStepName.ActivityEffective, BenefitStepName.Bind],
            run.Steps.Select(s => s.Name));
        var version = Assert.Single((await harness.BenefitAsync(benefitId)).Versions);
        Assert.Equal((BenefitVersionStatus.Active, null), (version.Status, version.CouponActivityId));
        var row = Assert.Single(await harness.AllAsync<ActivityFeedEntry>());
        Assert.Equal((Guid.Empty, BenefitKind.Discount), (row.TierId, row.Kind));
        Assert.Contains("\"DiscountPercent\":12", row.Summary);
    }

    [Theory]
    [MemberData(nameof(EveryStepAndFault))]
    public async Task AStepFailingOnceStillEndsActiveWithTheInvariantsHolding(string step, FaultMode mode)
    {
        await using var harness = await BenefitHarness.CreateAsync(h => h.InjectFault(step, mode, 1, workflow: BenefitActivation.Kind));
        var benefitId = await harness.CouponBenefitAsync();

        var (runId, status) = await harness.ActivateAsync(benefitId);
        await harness.DispatchAsync();

        Assert.Equal(WorkflowRunStatus.Succeeded, status);
        Assert.Equal(2, (await harness.Activation.RunAsync(harness.MerchantId, runId)).Step(step).Attempts);
        var version = Assert.Single((await harness.BenefitAsync(benefitId)).Versions);
        Assert.Equal(BenefitVersionStatus.Active, version.Status);
        // One activity and one coupon activity, however often a step ran.
        var activity = Assert.Single(await harness.AllAsync<Activity>());
        Assert.Equal(version.CouponActivityId, Assert.Single((await harness.ActivityAsync(activity.Id))!.CouponActivities).Id);
        Assert.Single(await harness.AllAsync<ActivityFeedEntry>());
        Assert.Empty(harness.Activation.InvariantFailures);
    }

    [Theory]
    [MemberData(nameof(EveryStepAndFault))]
    public async Task AStepFailingEveryAttemptEndsStuckAndSupportRollsItBackLeavingNothingBound(string step, FaultMode mode)
    {
        await using var harness = await BenefitHarness.CreateAsync(h =>
            h.InjectFault(step, mode, h.Options.MaxAttempts, workflow: BenefitActivation.Kind));
        var benefitId = await harness.CouponBenefitAsync();

        var (runId, status) = await harness.ActivateAsync(benefitId);
        Assert.Equal(WorkflowRunStatus.Stuck, status);
        Assert.NotEqual(BenefitVersionStatus.Active, Assert.Single((await harness.BenefitAsync(benefitId)).Versions).Status);
        Assert.Empty(harness.Activation.InvariantFailures);

        await harness.Activation.Support("bob@support").RollBackAsync(runId, "the merchant drops the benefit");
        await harness.DispatchAsync();
        await harness.Activation.CheckInvariantsAsync(harness.MerchantId, runId, "rollback");

        Assert.Equal(WorkflowRunStatus.RolledBack, (await harness.Activation.RunAsync(harness.MerchantId, runId)).Status);
        var version = Assert.Single((await harness.BenefitAsync(benefitId)).Versions);
        Assert.Equal((BenefitVersionStatus.Draft, null, null), (version.Status, version.ActivityId, version.CouponActivityId));
        Assert.All(await harness.AllAsync<Activity>(), a => Assert.Equal(ActivityStatus.Cancelled, a.Status));
        Assert.All(await harness.AllAsync<CouponActivity>(), c => Assert.Equal(CouponActivityStatus.Ended, c.Status));
        Assert.Empty(await harness.AllAsync<ActivityFeedEntry>());
        Assert.Empty(harness.Activation.InvariantFailures);
        // Rolled back, the draft can be activated again.
        harness.Activation.Faults.Rules.Clear();
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
    }

    [Fact]
    public async Task SupportRetriesAStuckBenefitRunToActive()
    {
        await using var harness = await BenefitHarness.CreateAsync(h =>
            h.InjectFault(BenefitStepName.Bind, FaultMode.Throw, h.Options.MaxAttempts, workflow: BenefitActivation.Kind));
        var benefitId = await harness.CouponBenefitAsync();
        var (runId, status) = await harness.ActivateAsync(benefitId);
        Assert.Equal(WorkflowRunStatus.Stuck, status);
        var stuckCoupon = Assert.Single(await harness.AllAsync<CouponActivity>());
        Assert.Equal(CouponActivityStatus.Pending, stuckCoupon.Status); // never issuing while the benefit is not Active

        await harness.Activation.Support("bob@support").RetryAsync(runId, "binding fixed");
        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.Activation.DriveToEndAsync(harness.MerchantId, runId));

        Assert.Equal(BenefitVersionStatus.Active, Assert.Single((await harness.BenefitAsync(benefitId)).Versions).Status);
        Assert.Equal(CouponActivityStatus.Effective, Assert.Single(await harness.AllAsync<CouponActivity>()).Status);
        Assert.Equal("SupportRetry", Assert.Single(await harness.Activation.SupportAuditAsync(harness.MerchantId, runId)).Action);
        Assert.Empty(harness.Activation.InvariantFailures);
    }

    [Fact]
    public async Task TheSupportRunPageRecordsOfABenefitRunShowTheBenefitActivityAndCouponActivity()
    {
        await using var harness = await BenefitHarness.CreateAsync(h =>
            h.InjectFault(BenefitStepName.Bind, FaultMode.Throw, h.Options.MaxAttempts, workflow: BenefitActivation.Kind));
        var benefitId = await harness.CouponBenefitAsync();
        var (runId, _) = await harness.ActivateAsync(benefitId);

        var detail = await harness.Activation.Support().RunAsync(runId);

        Assert.NotNull(detail);
        Assert.Equal(typeof(BenefitActivationRecords), detail.Records.View);
        var view = Assert.IsType<BenefitRecordsView>(detail.Records.Model);
        Assert.Equal((benefitId, BenefitVersionStatus.Activating, ActivityStatus.Effective, CouponActivityStatus.Pending),
            (view.BenefitId, view.VersionStatus, view.ActivityStatus, view.CouponActivityStatus));
        Assert.Empty(detail.InvariantViolations);
    }

    [Fact]
    public async Task ActivatingIsRefusedWhileTheDryRunFindsProblems()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync(budget: 1);
        await harness.Activation.ChangePlanAsync(harness.MerchantId, harness.Plan.Id, (p, now) => p.Suspend(now));

        var refusal = await Assert.ThrowsAsync<DomainException>(() => harness.Service().ActivateAsync(benefitId));

        Assert.Equal("Benefit.NotReadyToActivate", refusal.Refusal.Code);
        var review = await harness.Service().ReviewAsync(benefitId, 0.5m);
        Assert.NotNull(review);
        Assert.Contains(review.Problems, p => p.Code == "Benefit.PlanNotActive" && p.Part == BenefitPart.Basics);
        Assert.Empty(await harness.AllAsync<WorkflowRun>());
    }
}
