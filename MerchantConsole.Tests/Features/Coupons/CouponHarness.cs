using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.Coupons;
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

    public async Task<Coupon> IssueAsync(Guid couponActivityId, Guid? membershipId = null, string? key = null)
    {
        var result = await Issuer().IssueAsync(new IssueRequest(couponActivityId, membershipId ?? Guid.NewGuid(), key ?? $"grant:{Guid.NewGuid():N}"), Now);
        Assert.Equal(IssueOutcome.Issued, result.Outcome);
        return result.Coupon!;
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
