using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Coupons;

/// <summary>A real SQLite database with two merchants (zone Asia/Shanghai) and the coupon services per merchant.</summary>
internal sealed class CouponHarness : IAsyncDisposable
{
    private CouponHarness(TestDatabase database, Merchant merchant, Merchant other)
    {
        Database = database;
        Merchant = merchant;
        OtherMerchant = other;
    }

    public TestDatabase Database { get; }
    public Merchant Merchant { get; }
    public Merchant OtherMerchant { get; }
    public CouponOptions Options { get; } = new();
    public ICouponCodeRandom Random { get; set; } = new SecureCouponCodeRandom();
    public DateTimeOffset Now => Database.Clock.GetUtcNow();

    public static async Task<CouponHarness> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        return new CouponHarness(database, await database.AddMerchantAsync("coupons-a"), await database.AddMerchantAsync("coupons-b"));
    }

    public IDbContextFactory<MerchantDbContext> Contexts(Guid? merchantId = null, string actor = "clerk@coupons.test")
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId ?? Merchant.Id, actor);
        return new MerchantDbContextFactory(Database.Contexts, scope);
    }

    public CouponTemplateService Templates(Guid? merchantId = null) => new(Contexts(merchantId), Database.Clock);
    public ActivityService Activities(Guid? merchantId = null) => new(Contexts(merchantId), Database.Clock);
    public CouponIssuer Issuer(Guid? merchantId = null) => new(Contexts(merchantId), Random);
    public CouponRedemption Redemption(Guid? merchantId = null, string actor = "clerk@coupons.test") =>
        new(Contexts(merchantId, actor), Microsoft.Extensions.Options.Options.Create(Options));
    public CouponExpiryJob ExpiryJob() => new(Database.Contexts, Database.Clock, Microsoft.Extensions.Options.Options.Create(Options));

    /// <summary>A published template of <paramref name="terms"/> issued by an effective activity; returns the coupon activity id.</summary>
    public async Task<Guid> EffectiveCouponActivityAsync(CouponTerms? terms = null, int budget = 1000, Guid? merchantId = null)
    {
        var template = await Templates(merchantId).CreateAsync("满100减20", terms ?? CouponTestTerms.CashOff(), publish: true);
        Assert.True(template.Succeeded, template.Refusal?.English);
        var activity = await Activities(merchantId).CreateAsync("Spring", Now.AddDays(-1), null);
        var added = await Activities(merchantId).AddCouponActivityAsync(activity.Id!.Value, template.VersionId!.Value, IssuingRule.ManualGrant, budget);
        Assert.True(added.Succeeded, added.Refusal?.English);
        Assert.True((await Activities(merchantId).MakeEffectiveAsync(activity.Id!.Value)).Succeeded);
        return added.VersionId!.Value;
    }

    /// <summary>Issues to <paramref name="membershipId"/>, or to a new member of the merchant (coupons belong to real memberships).</summary>
    public async Task<Coupon> IssueAsync(Guid couponActivityId, Guid? membershipId = null, string? key = null)
    {
        var result = await Issuer().IssueAsync(new IssueRequest(couponActivityId, membershipId ?? await MemberAsync(), key ?? $"grant:{Guid.NewGuid():N}"), Now);
        Assert.Equal(IssueOutcome.Issued, result.Outcome);
        return result.Coupon!;
    }

    private readonly Dictionary<Guid, (Guid PlanId, Guid TierId, Guid ChannelId)> _plans = [];
    private int _phones;

    /// <summary>A customer enrolled by hand in the merchant's Active plan (made on first use), through <see cref="MembershipEnrolment"/>.</summary>
    public async Task<EnrolResult> EnrolAsync(Guid? merchantId = null, string? phone = null, string name = "会员")
    {
        var owner = merchantId ?? Merchant.Id;
        if (!_plans.TryGetValue(owner, out var plan))
            _plans[owner] = plan = await ActivePlanAsync(owner);
        var enrolment = new MembershipEnrolment(Contexts(owner), Database.Clock, new RandomCardNumbers());
        phone ??= $"1380013{Interlocked.Increment(ref _phones):0000}";
        var result = await enrolment.EnrolAsync(new EnrolRequest(plan.PlanId, plan.TierId, plan.ChannelId, new CustomerDetails(phone, name, null, null)));
        Assert.True(result.Succeeded, result.Refusal?.English);
        return result;
    }

    public async Task<Guid> MemberAsync(Guid? merchantId = null) => (await EnrolAsync(merchantId)).MembershipId!.Value;

    public async Task<List<Guid>> MembersAsync(int count, Guid? merchantId = null)
    {
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
            ids.Add(await MemberAsync(merchantId));
        return ids;
    }

    private async Task<(Guid PlanId, Guid TierId, Guid ChannelId)> ActivePlanAsync(Guid owner)
    {
        var now = Now;
        var card = CardTemplate.Create(owner, "Coffee card", MerchantConsole.Tests.Domain.CardTemplates.Designs.Compliant(), "tester", now);
        var version = card.Publish("tester", now);
        var plan = MembershipPlan.Create(owner, "Coffee club", null, "CNY", now);
        plan.ChooseCardTemplateVersion(version.Id, now);
        var tier = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var channel = plan.AddChannel(tier.Id, JoinChannelType.Manual, null, null, null, now);
        plan.BeginActivation(now);
        plan.MarkProductsPending(now);
        plan.MarkActive(now);
        plan.MarkProductsActive(now);
        await using var db = Database.For(owner);
        db.CardTemplates.Add(card);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return (plan.Id, tier.Id, channel.Id);
    }

    public async Task<CouponActivity> CouponActivityAsync(Guid couponActivityId)
    {
        await using var db = Database.Unscoped();
        return await db.Set<CouponActivity>().AsNoTracking().SingleAsync(c => c.Id == couponActivityId);
    }

    public async Task<Coupon> CouponAsync(Guid couponId)
    {
        await using var db = Database.Unscoped();
        return await db.Coupons.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == couponId);
    }

    public async Task<List<T>> AllAsync<T>() where T : class
    {
        await using var db = Database.Unscoped();
        return await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

/// <summary>Draws the given numbers first, then secure random ones: forces a code collision.</summary>
internal sealed class ScriptedCodeRandom(params int[] script) : ICouponCodeRandom
{
    private readonly Queue<int> _script = new(script);
    public int Next(int exclusiveMax) => _script.TryDequeue(out var n) ? n : System.Security.Cryptography.RandomNumberGenerator.GetInt32(exclusiveMax);
}
