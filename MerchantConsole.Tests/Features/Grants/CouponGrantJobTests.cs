using System.Text;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Grants;
using MerchantConsole.Tests.Features.Coupons;
using MerchantConsole.Tests.Localization;

namespace MerchantConsole.Tests.Features.Grants;

public sealed class CouponGrantJobTests
{
    [Fact]
    public async Task AGrantToATierIssuesExactlyOneCouponToEachActiveMemberOfThatTierAndOneAuditEntry()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        var silver = await harness.EnrolAsync(plan, 25);
        await harness.EnrolAsync(plan, 3, tier: "Gold", phoneStart: 100);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync();

        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, plan.Tiers.Single(t => t.Name == "Silver").Id);
        Assert.True(started.Succeeded, started.Refusal?.English);
        Assert.Single(harness.Jobs.Created);
        await harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None);

        var coupons = await harness.AllAsync<Coupon>();
        Assert.Equal(25, coupons.Count);
        Assert.Equal(silver.Order(), coupons.Select(c => c.MembershipId).Order());
        Assert.All(coupons, c => Assert.Equal(IssueKeys.Grant(started.GrantId.Value), c.IssueKey));
        Assert.Equal(25, coupons.Select(c => c.Code).Distinct().Count());
        var grant = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Completed, 25, 25, 0, 0, 100), (grant.Status, grant.Targeted, grant.Issued, grant.AlreadyHad, grant.Refused, grant.Percent));
        Assert.Equal(25, Assert.Single(await harness.AllAsync<CouponActivity>()).Issued);
        Assert.Equal(25, Assert.Single(await harness.AllAsync<CouponDailyCount>()).Issued);
        var audit = Assert.Single(await harness.AllAsync<AuditEntry>(), a => a.EntityType is nameof(Coupon) or nameof(CouponGrant));
        Assert.Equal("GrantCompleted", audit.Action);
        Assert.Equal("admin@grants.test", audit.UserName);
    }

    [Fact]
    public async Task AGrantJobKilledAfterItsSecondBatchAndRunAgainIssuesExactlyOncePerMemberAndCompletes()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        var silver = await harness.EnrolAsync(plan, 25);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync();
        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, plan.Tiers.Single(t => t.Name == "Silver").Id);
        var crash = new CrashAfterBatch(2);
        harness.Hook = crash;

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None));
        var halfway = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Running, 20), (halfway.Status, halfway.Issued));
        Assert.Equal(20, (await harness.AllAsync<Coupon>()).Count);

        // The sweeper finds the grant the dead process left Running and finishes it.
        Assert.Equal(1, await harness.Job().SweepAsync(CancellationToken.None));
        await harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None); // a late Hangfire retry does nothing

        var coupons = await harness.AllAsync<Coupon>();
        Assert.Equal(25, coupons.Count);
        Assert.Equal(silver.Order(), coupons.Select(c => c.MembershipId).Order());
        var grant = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Completed, 25, 0), (grant.Status, grant.Issued, grant.Refused));
        Assert.Equal(25, Assert.Single(await harness.AllAsync<CouponActivity>()).Issued);
    }

    [Fact]
    public async Task AGrantRunTwiceByTwoWorkersAtOnceIssuesOncePerMember()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        await harness.EnrolAsync(plan, 15);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync();
        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, plan.Tiers.Single(t => t.Name == "Silver").Id);

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None))));

        Assert.Equal(15, (await harness.AllAsync<Coupon>()).Count);
        Assert.Equal(15, Assert.Single(await harness.AllAsync<CouponGrant>()).Issued);
    }

    [Fact]
    public async Task ACsvGrantRefusesOnlyTheRowsItCannotMatchAndTheReportListsThemWithReasons()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        var other = await harness.Members.ActivePlanAsync(name: "Tea club");
        var members = await harness.EnrolAsync(plan, 4);
        await harness.EnrolAsync(other, 1, phoneStart: 50);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync();
        var memberships = await harness.AllAsync<Membership>();
        var card = memberships.Single(m => m.Id == members[0]).CardNumber;
        var csv = string.Join("\n",
            "card number",
            MerchantConsole.Domain.Members.CardNumbers.Display(card), // row 2: by card, spaced as printed
            "139 0000 0001",                                            // row 3: by phone
            "EXT-2",                                                    // row 4: by external reference
            "nobody-at-all",                                            // row 5: unknown
            "13900000050",                                              // row 6: a customer of another plan only
            "EXT-3",                                                    // row 7
            "13900000001");                                             // row 8: the same member again

        var started = await harness.Service().StartCsvGrantAsync(activityId, couponActivityId, plan.Id, "vip.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.True(started.Succeeded, started.Refusal?.English);
        await harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None);

        Assert.Equal(members.Order(), (await harness.AllAsync<Coupon>()).Select(c => c.MembershipId).Order());
        var grant = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Completed, 7, 4, 1, 2), (grant.Status, grant.Targeted, grant.Issued, grant.AlreadyHad, grant.Refused));
        var refusals = (await harness.AllAsync<CouponGrantRefusal>()).OrderBy(r => r.Row).ToList();
        Assert.Equal(new[] { (5, "nobody-at-all", "Grant.ReferenceUnknown"), (6, "13900000050", "Grant.NotAMemberOfPlan") },
            refusals.Select(r => (r.Row, r.Reference, r.Code)));

        var report = new MemoryStream();
        var headers = new Dictionary<string, string> { ["Row"] = "行号", ["Reference"] = "会员标识", ["Reason"] = "原因" };
        var written = await RefusalTextTests.InCulture("zh-CN", () =>
            harness.Service().WriteReportAsync(grant.Id, report, RefusalTextTests.Renderer(), headers));
        Assert.True(written);
        var lines = Encoding.UTF8.GetString(report.ToArray()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(new[] { "行号,会员标识,原因", "5,nobody-at-all,没有会员或顾客的标识为“nobody-at-all”。", "6,13900000050,“13900000050”不是该会员计划的会员。" }, lines);
    }

    [Fact]
    public async Task AMemberListedAgainInALaterBatchOfAFileCountsAsAlreadyHadAndItsReservedBudgetIsGivenBack()
    {
        await using var harness = await GrantHarness.CreateAsync();
        harness.Options.BatchSize = 2;
        var plan = await harness.Members.ActivePlanAsync();
        var members = await harness.EnrolAsync(plan, 3);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync(budget: 10);
        var csv = string.Join("\n", "phone", "13900000000", "13900000001", "13900000002", "13900000000"); // the first member again, in batch 2

        var started = await harness.Service().StartCsvGrantAsync(activityId, couponActivityId, plan.Id, "again.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.True(started.Succeeded, started.Refusal?.English);
        await harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None);

        Assert.Equal(members.Order(), (await harness.AllAsync<Coupon>()).Select(c => c.MembershipId).Order());
        var grant = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Completed, 4, 3, 1, 0), (grant.Status, grant.Targeted, grant.Issued, grant.AlreadyHad, grant.Refused));
        Assert.Equal(3, Assert.Single(await harness.AllAsync<CouponActivity>()).Issued);
    }

    [Fact]
    public async Task ACodeAnEarlierBatchAlreadyGaveOutIsDrawnAgainAndEveryMemberStillGetsOneCoupon()
    {
        await using var harness = await GrantHarness.CreateAsync();
        harness.Options.BatchSize = 1;
        // Each batch's first draw is the same code ("2222222222"): the second batch's insert meets it and draws again.
        harness.Random = new ScriptedCodeRandom([.. Enumerable.Repeat(0, 20)]);
        var plan = await harness.Members.ActivePlanAsync();
        var members = await harness.EnrolAsync(plan, 2);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync(budget: 10);
        var tier = plan.Tiers.Single(t => t.Name == "Silver");

        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, tier.Id);
        Assert.True(started.Succeeded, started.Refusal?.English);
        await harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None);

        var coupons = await harness.AllAsync<Coupon>();
        Assert.Equal(members.Order(), coupons.Select(c => c.MembershipId).Order());
        Assert.Contains(coupons, c => c.Code == "2222222222");
        Assert.Equal(2, coupons.Select(c => c.Code).Distinct().Count());
        var grant = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Completed, 2, 0), (grant.Status, grant.Issued, grant.AlreadyHad));
        Assert.Equal(2, Assert.Single(await harness.AllAsync<CouponActivity>()).Issued);
    }

    [Fact]
    public async Task ABudgetSmallerThanTheTierRefusesTheRemainderWithTheReasonAndNeverOversells()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        await harness.EnrolAsync(plan, 25);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync(budget: 7);

        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, plan.Tiers.Single(t => t.Name == "Silver").Id);
        await harness.Job().RunAsync(harness.MerchantId, started.GrantId!.Value, CancellationToken.None);

        Assert.Equal(7, (await harness.AllAsync<Coupon>()).Count);
        Assert.Equal(7, Assert.Single(await harness.AllAsync<CouponActivity>()).Issued);
        var grant = Assert.Single(await harness.AllAsync<CouponGrant>());
        Assert.Equal((GrantStatus.Completed, 7, 18), (grant.Status, grant.Issued, grant.Refused));
        var refusals = await harness.AllAsync<CouponGrantRefusal>();
        Assert.Equal(18, refusals.Count);
        Assert.All(refusals, r => Assert.Equal("Coupon.BudgetExhausted", r.Code));
    }

    [Fact]
    public async Task AnotherMerchantsCouponActivityIsNotFoundAndCannotBeGranted()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        await harness.EnrolAsync(plan, 2);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync(merchantId: harness.Members.OtherMerchant.Id);

        var context = await harness.Service().ContextAsync(activityId, couponActivityId);
        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, plan.Tiers.Single(t => t.Name == "Silver").Id);

        Assert.Null(context);
        Assert.Equal("Coupon.ActivityNotFound", started.Refusal?.Code);
        Assert.Empty(await harness.AllAsync<CouponGrant>());
        Assert.NotNull(await harness.Service(harness.Members.OtherMerchant.Id).ContextAsync(activityId, couponActivityId));
    }

    [Fact]
    public async Task OnlyAManualGrantCouponActivityCanBeGrantedByHand()
    {
        await using var harness = await GrantHarness.CreateAsync();
        var plan = await harness.Members.ActivePlanAsync();
        await harness.EnrolAsync(plan, 1);
        var (activityId, couponActivityId) = await harness.CouponActivityAsync(rule: IssuingRule.OnJoin);

        var started = await harness.Service().StartTierGrantAsync(activityId, couponActivityId, plan.Id, plan.Tiers.Single(t => t.Name == "Silver").Id);

        Assert.Equal("Grant.NotManualGrant", started.Refusal?.Code);
    }

    [Fact]
    public void TheCsvReaderFindsTheReferenceColumnByItsHeaderAndSkipsBlankRows()
    {
        var csv = "姓名,手机号\n王小明,13900000001\n\n\"李, 四\",\"13900000002\"\n";

        var rows = GrantCsv.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), 10).ToBlockingEnumerable().ToList();

        Assert.Equal(new[] { (2, "13900000001"), (4, "13900000002") }, rows);
    }
}
