using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Feed;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Feed;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>The activity feed: built from messages only, rebuilt by replaying them to the same rows.</summary>
public sealed class ActivityFeedTests
{
    [Fact]
    public async Task TheFeedRebuiltFromTheActivityEventsEqualsTheIncrementalOne()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var coupon = await harness.CouponBenefitAsync("Gold welcome", tiers: ["Gold", "Silver"]);
        var discount = await harness.DiscountBenefitAsync("Member price");
        var monthly = await harness.CouponBenefitAsync("Monthly treat", IssuingRule.MonthlyOn(1), tiers: ["Gold"]);
        foreach (var id in new[] { coupon, discount, monthly })
            Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(id)).Status);
        // A change of a live benefit (a new version supersedes the old) and a retirement: rows come and go.
        Assert.True((await harness.Service().StartChangeAsync(coupon, harness.Today)).Succeeded);
        Assert.True((await harness.Service().SaveSettingsAsync(coupon, new(harness.Today, TemplateVersionId: harness.TemplateVersionId, Rule: IssuingRule.OnJoin, Budget: 5000))).Succeeded);
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.ActivateAsync(coupon)).Status);
        Assert.True((await harness.Service().RetireAsync(discount)).Succeeded);
        await harness.DispatchAsync();
        var incremental = await harness.FeedSnapshotAsync();

        var replayed = await harness.FeedRebuild("bob@support").RebuildAsync();

        Assert.Equal(incremental, await harness.FeedSnapshotAsync());
        Assert.Equal(6, replayed); // four effective, two ended
        var rows = await harness.AllAsync<ActivityFeedEntry>();
        Assert.Equal(3, rows.Count); // the new coupon version's two tiers and the monthly one's
        Assert.Equal([2, 2], rows.Where(r => r.BenefitId == coupon).Select(r => r.VersionNumber));
        Assert.Equal(1, rows.Single(r => r.BenefitId == monthly).VersionNumber);
        var audit = Assert.Single(await harness.AllAsync<AuditEntry>(), a => a.Action == ActivityFeedRebuild.AuditAction);
        Assert.Equal((harness.MerchantId, "bob@support"), (audit.MerchantId, audit.UserName));
    }

    [Fact]
    public async Task TheRebuildStartsFromScratchDroppingRowsNoEventExplains()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        await using (var db = harness.Activation.Database.For(harness.MerchantId))
        {
            db.ActivityFeed.Add(ActivityFeedEntry.For(harness.MerchantId, Message(harness.Plan.Id, "Stray"), Guid.Empty, "{}", harness.Activation.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        await harness.FeedRebuild().RebuildAsync();

        Assert.Empty(await harness.AllAsync<ActivityFeedEntry>());
    }

    [Fact]
    public async Task TheFeedIsBuiltFromTheMessageAloneWithNoBenefitOrActivityRecords()
    {
        await using var harness = await BenefitHarness.CreateAsync();
        var message = Message(harness.Plan.Id, "Double points", [harness.Tier("Gold")]);
        await using (var db = harness.Activation.Database.For(harness.MerchantId))
        {
            db.OutboxMessages.Add(OutboxMessage.For(harness.MerchantId, message, harness.Activation.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        await harness.DispatchAsync();
        var queries = new ActivityFeedQueries(harness.Contexts(), harness.Activation.Clock);

        Assert.Empty(await harness.AllAsync<Benefit>());
        var item = Assert.Single(await queries.ForPlanAsync(harness.Plan.Id, harness.Tier("Gold")));
        Assert.Equal((message.ActivityId, "Double points", 2m), (item.ActivityId, item.Name, item.Summary.PointsFactor));
        Assert.Empty(await queries.ForPlanAsync(harness.Plan.Id, harness.Tier("Silver")));
        Assert.Empty(await new ActivityFeedQueries(harness.Contexts(Guid.NewGuid()), harness.Activation.Clock).ForPlanAsync(harness.Plan.Id));
    }

    private static ActivityEffective Message(Guid planId, string name, IReadOnlyList<Guid>? tiers = null) =>
        new(Guid.NewGuid(), planId, Guid.NewGuid(), Guid.NewGuid(), 1, tiers ?? [], BenefitKind.PointsMultiplier, name,
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), null, new BenefitSummary(PointsFactor: 2m), null);
}
