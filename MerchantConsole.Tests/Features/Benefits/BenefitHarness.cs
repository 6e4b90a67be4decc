using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Feed;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Feed;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>
/// Benefits over the activation harness (engine, dispatcher with the benefit, feed and on-join handlers, sweeper):
/// an Active plan "Coffee Club" (Silver, Gold) of merchant "coffee" and a published ¥20-off coupon template.
/// </summary>
internal sealed class BenefitHarness : IAsyncDisposable
{
    public ActivationHarness Activation { get; }
    public Guid MerchantId { get; }
    public MembershipPlan Plan { get; private set; } = null!;
    public Guid TemplateVersionId { get; private set; }

    private BenefitHarness(ActivationHarness activation, Guid merchantId)
    {
        Activation = activation;
        MerchantId = merchantId;
    }

    public static async Task<BenefitHarness> CreateAsync(Action<ActivationHarness>? arrange = null)
    {
        var activation = await ActivationHarness.CreateAsync();
        arrange?.Invoke(activation);
        var merchant = await activation.AddMerchantAsync("coffee");
        var harness = new BenefitHarness(activation, merchant.Id);
        // Staff enrol through a Manual channel.
        var plan = await activation.AddPlanAsync(merchant.Id, "Coffee Club", p =>
            p.AddChannel(p.Tiers.Single(t => t.Name == "Silver").Id, JoinChannelType.Manual, null, null, null, activation.Clock.GetUtcNow()));
        await activation.ChangePlanAsync(merchant.Id, plan.Id, (p, now) =>
        {
            p.BeginActivation(now);
            p.MarkProductsPending(now);
            p.MarkActive(now);
            p.MarkProductsActive(now);
        });
        harness.Plan = await activation.PlanAsync(merchant.Id, plan.Id);
        var template = await new CouponTemplateService(harness.Contexts(), activation.Clock).CreateAsync("满100减20", CouponTestTerms.CashOff(), publish: true);
        Assert.True(template.Succeeded, template.Refusal?.English);
        harness.TemplateVersionId = template.VersionId!.Value;
        return harness;
    }

    public ValueTask DisposeAsync() => Activation.DisposeAsync();

    public Guid Tier(string name) => Plan.Tiers.Single(t => t.Name == name).Id;

    public Guid ManualChannel => Plan.Tiers.Single(t => t.Name == "Silver").JoinChannels.Single(c => c.Type == JoinChannelType.Manual).Id;

    public IDbContextFactory<MerchantDbContext> Contexts(Guid? merchantId = null, string actor = "admin@coffee.test")
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId ?? MerchantId, actor);
        return new MerchantDbContextFactory(Activation.Database.Contexts, scope);
    }

    public BenefitService Service(Guid? merchantId = null)
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId ?? MerchantId, "admin@coffee.test");
        return new BenefitService(new MerchantDbContextFactory(Activation.Database.Contexts, scope), scope, Activation.Clock, Activation.Queue, Activation.Notifier);
    }

    public BenefitVersionSwitchJob SwitchJob() =>
        new(Activation.Database.Contexts, Activation.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<BenefitVersionSwitchJob>.Instance);

    public ActivityFeedRebuild FeedRebuild(string user = "support@test")
    {
        var scope = new MerchantScope();
        scope.UseAcrossMerchants(user);
        return new ActivityFeedRebuild(Activation.Database.Contexts, scope, Activation.Clock);
    }

    /// <summary>A coupon benefit issuing the harness's template by <paramref name="rule"/> (default on join), ready to activate.</summary>
    public async Task<Guid> CouponBenefitAsync(string name = "Welcome coupon", IssuingRule? rule = null, int budget = 1000, string[]? tiers = null, Guid? activityId = null)
    {
        var service = Service();
        var created = await service.CreateAsync(Plan.Id, name, [.. (tiers ?? []).Select(Tier)], BenefitKind.Coupon);
        Assert.True(created.Succeeded, created.Refusal?.English);
        var saved = await service.SaveSettingsAsync(created.Id!.Value,
            new BenefitSettings(Today, ActivityId: activityId, TemplateVersionId: TemplateVersionId, Rule: rule ?? IssuingRule.OnJoin, Budget: budget));
        Assert.True(saved.Succeeded, saved.Refusal?.English);
        return created.Id.Value;
    }

    public async Task<Guid> DiscountBenefitAsync(string name = "Member price", int percent = 10)
    {
        var service = Service();
        var created = await service.CreateAsync(Plan.Id, name, [], BenefitKind.Discount);
        Assert.True(created.Succeeded, created.Refusal?.English);
        Assert.True((await service.SaveSettingsAsync(created.Id!.Value, new BenefitSettings(Today, DiscountPercent: percent))).Succeeded);
        return created.Id.Value;
    }

    public DateOnly Today => DateOnly.FromDateTime(Activation.Clock.GetUtcNow().UtcDateTime);

    /// <summary>Activates and drives the run to its end; returns the run id and how it ended.</summary>
    public async Task<(Guid RunId, WorkflowRunStatus Status)> ActivateAsync(Guid benefitId)
    {
        var runId = await Service().ActivateAsync(benefitId);
        return (runId, await Activation.DriveToEndAsync(MerchantId, runId));
    }

    /// <summary>Delivers every waiting message (the feed's and on-join issuance's).</summary>
    public Task DispatchAsync() => Activation.Dispatcher.DispatchAsync(CancellationToken.None);

    public async Task<Benefit> BenefitAsync(Guid benefitId)
    {
        await using var db = Activation.Database.For(MerchantId);
        return await db.Benefits.AsNoTracking().Include(b => b.Versions).SingleAsync(b => b.Id == benefitId);
    }

    public async Task<Activity?> ActivityAsync(Guid? activityId)
    {
        await using var db = Activation.Database.For(MerchantId);
        return await db.Activities.AsNoTracking().Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId);
    }

    public async Task<List<T>> AllAsync<T>() where T : class
    {
        await using var db = Activation.Database.Unscoped();
        return await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    /// <summary>The feed as comparable rows (no row ids).</summary>
    public async Task<List<string>> FeedSnapshotAsync() =>
        [.. (await AllAsync<ActivityFeedEntry>())
            .Select(e => $"{e.MerchantId}|{e.PlanId}|{e.TierId}|{e.ActivityId}|{e.BenefitId}|{e.BenefitVersionId}|{e.VersionNumber}|{e.Kind}|{e.Name}|{e.StartsAt:O}|{e.EndsAt:O}|{e.Summary}|{e.UpdatedAt:O}")
            .Order(StringComparer.Ordinal)];
}
