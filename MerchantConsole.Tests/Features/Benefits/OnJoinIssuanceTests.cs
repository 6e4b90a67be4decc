using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Members;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>Coupons of Active OnJoin benefits are issued from MemberJoined, once per member and benefit version.</summary>
public sealed class OnJoinIssuanceTests
{
    [Fact]
    public async Task EnrollingAMemberIssuesTheOnJoinCouponOnceEvenWhenTheMessageIsDeliveredTwice()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var monthly = await harness.CouponBenefitAsync("Monthly treat", IssuingRule.MonthlyOn(1));
        var everyone = await harness.CouponBenefitAsync("Welcome", budget: 10);
        foreach (var id in new[] { monthly, everyone })
            Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(id)).Status);

        var enrolled = await Enrolment(harness).EnrolAsync(new EnrolRequest(harness.Plan.Id, harness.Tier("Silver"), harness.ManualChannel,
            new CustomerDetails("13800138000", "王小明", null, null)));
        Assert.Equal(EnrolOutcome.Enrolled, enrolled.Outcome);
        await harness.DispatchAsync();
        // The same message delivered again, as at-least-once delivery may (a copy gets past the inbox).
        await using (var db = harness.Activation.Database.For(harness.MerchantId))
        {
            var joined = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Type == nameof(MemberJoined));
            db.OutboxMessages.Add(OutboxMessage.For(harness.MerchantId, joined.Read<MemberJoined>(), harness.Activation.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        await harness.DispatchAsync();

        var coupon = Assert.Single(await harness.AllAsync<Coupon>());
        var version = Assert.Single((await harness.BenefitAsync(everyone)).Versions);
        Assert.Equal((enrolled.MembershipId!.Value, version.Id, IssueKeys.Join(version.Id), version.CouponActivityId),
            (coupon.MembershipId, coupon.BenefitVersionId, coupon.IssueKey, (Guid?)coupon.CouponActivityId));
        var detail = await harness.Service().FindAsync(everyone);
        Assert.Equal(1, Assert.Single(detail!.Versions).CouponsIssued);
    }

    [Fact]
    public async Task ABenefitThatIsNotActiveIssuesNothingOnJoin()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        await harness.CouponBenefitAsync("Welcome");

        await Enrolment(harness).EnrolAsync(new EnrolRequest(harness.Plan.Id, harness.Tier("Silver"), harness.ManualChannel,
            new CustomerDetails("13800138000", "王小明", null, null)));
        await harness.DispatchAsync();

        Assert.Empty(await harness.AllAsync<Coupon>());
    }

    [Fact]
    public async Task ChangingAnActiveBenefitMakesANewVersionAndIssuedCouponsKeepTheVersionTheyWereIssuedUnder()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync("Welcome");
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        var first = await Enrolment(harness).EnrolAsync(new EnrolRequest(harness.Plan.Id, harness.Tier("Silver"), harness.ManualChannel,
            new CustomerDetails("13800138000", "王小明", null, null)));
        await harness.DispatchAsync();

        Assert.True((await harness.Service().StartChangeAsync(benefitId, harness.Today)).Succeeded);
        Assert.True((await harness.Service().SaveSettingsAsync(benefitId,
            new(harness.Today, TemplateVersionId: harness.TemplateVersionId, Rule: IssuingRule.OnJoin, Budget: 2000))).Succeeded);
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        var second = await Enrolment(harness).EnrolAsync(new EnrolRequest(harness.Plan.Id, harness.Tier("Silver"), harness.ManualChannel,
            new CustomerDetails("13900139000", "李华", null, null)));
        await harness.DispatchAsync();

        var versions = (await harness.BenefitAsync(benefitId)).Versions.OrderBy(v => v.Number).ToList();
        Assert.Equal([BenefitVersionStatus.Superseded, BenefitVersionStatus.Active], versions.Select(v => v.Status));
        Assert.NotEqual(versions[0].CouponActivityId, versions[1].CouponActivityId);
        var coupons = await harness.AllAsync<Coupon>();
        Assert.Equal(versions[0].Id, coupons.Single(c => c.MembershipId == first.MembershipId).BenefitVersionId);
        Assert.Equal(versions[1].Id, coupons.Single(c => c.MembershipId == second.MembershipId).BenefitVersionId);
        Assert.Equal(CouponActivityStatus.Ended, (await harness.AllAsync<CouponActivity>()).Single(c => c.Id == versions[0].CouponActivityId).Status);
        var detail = await harness.Service().FindAsync(benefitId);
        Assert.Equal([1, 1], detail!.Versions.Select(v => v.CouponsIssued));
    }

    [Fact]
    public async Task AMonthlyCouponActivityIssuesToThePlanAndTiersOfTheActiveBenefitThatOwnsIt()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var benefitId = await harness.CouponBenefitAsync("Monthly treat", IssuingRule.MonthlyOn(1), tiers: ["Gold"]);
        var unbound = await harness.CouponBenefitAsync("Not activated", IssuingRule.MonthlyOn(2));
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(benefitId)).Status);
        var version = Assert.Single((await harness.BenefitAsync(benefitId)).Versions);
        var audiences = new BenefitCouponAudience(harness.Activation.Clock);

        await using var db = harness.Activation.Database.For(harness.MerchantId);
        var audience = await audiences.AudienceAsync(db, version.CouponActivityId!.Value, CancellationToken.None);
        var nobody = await audiences.AudienceAsync(db, Guid.NewGuid(), CancellationToken.None);

        Assert.Equal((harness.Plan.Id, harness.Tier("Gold"), version.Id), (audience!.PlanId, Assert.Single(audience.TierIds), audience.BenefitVersionId));
        Assert.Null(nobody);
        Assert.Null(Assert.Single((await harness.BenefitAsync(unbound)).Versions).CouponActivityId);
    }

    private static MembershipEnrolment Enrolment(BenefitHarness harness) =>
        new(harness.Contexts(), harness.Activation.Clock, new RandomCardNumbers());
}
