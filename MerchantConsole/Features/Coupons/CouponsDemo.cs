using System.Collections.Concurrent;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Coupons;

/// <summary>
/// One published demo coupon template and one Effective demo activity per demo merchant, with a coupon issued to each
/// demo member, so the coupon pages and the redemption page have something to show. Runs after the member seed.
/// Running it again changes nothing: the template and activity are found by name, coupons by their issue key.
/// </summary>
public sealed class CouponsDemo(ProviderContextOptions contexts, TimeProvider clock, ICouponCodeRandom random, IOptions<CouponOptions> couponOptions)
    : IDemoMerchantSeed
{
    /// <summary>After the other seeds: every demo member, storefront customers included, gets a demo coupon.</summary>
    public int Stage => 1;

    private const string ActivityName = "新会员礼券 Welcome coupons";
    private const string TrialActivityName = "7天尝鲜 Seven-day trial";
    private const int TrialDays = 7;

    /// <summary>The demo coupon template of a demo merchant (the demo benefit issues it on join).</summary>
    public static string TemplateName(string merchantName) =>
        merchantName.Contains("Coffee", StringComparison.OrdinalIgnoreCase) ? "满50减10 咖啡券" : "满30减5 鲜果券";

    /// <summary>An unused demo code per demo merchant name, for the startup banner.</summary>
    public static ConcurrentDictionary<string, string> UnusedCodes { get; } = new();

    public async Task SeedAsync(Guid merchantId, string merchantName, CancellationToken cancellationToken)
    {
        var coffee = merchantName.Contains("Coffee", StringComparison.OrdinalIgnoreCase);
        var factory = new OneMerchant(contexts, merchantId);
        var templateName = TemplateName(merchantName);
        var versionId = await DemoVersionAsync(factory, templateName, coffee, cancellationToken);
        if (versionId is null)
            return;
        var couponActivityId = await DemoCouponActivityAsync(factory, versionId.Value, cancellationToken);
        if (couponActivityId is null)
            return;

        List<(Guid Id, DateTimeOffset JoinedAt)> members;
        await using (var db = factory.CreateDbContext())
        {
            // Seeded once: members who joined since (a customer on the storefront) get coupons from benefits, not from here.
            if (await db.Coupons.AnyAsync(c => c.IssueKey.StartsWith("demo:"), cancellationToken))
            {
                if (await db.Coupons.Where(c => c.IssueKey.StartsWith("demo:") && c.Status == CouponStatus.Issued)
                        .OrderBy(c => c.Id).Select(c => c.Code).FirstOrDefaultAsync(cancellationToken) is { } unused)
                    UnusedCodes.TryAdd(merchantName, unused);
                return;
            }
            members = (await db.Memberships.AsNoTracking().OrderBy(m => m.JoinedAt).Select(m => new { m.Id, m.JoinedAt }).ToListAsync(cancellationToken))
                .Select(m => (m.Id, m.JoinedAt)).ToList();
        }
        var issuer = new CouponIssuer(factory, random);
        await IssueTrialCouponsAsync(factory, issuer, members, coffee, cancellationToken);
        foreach (var (membershipId, _) in members)
        {
            var result = await issuer.IssueAsync(new IssueRequest(couponActivityId.Value, membershipId, $"demo:{membershipId:N}"), clock.GetUtcNow(), cancellationToken);
            if (result.Coupon is { Status: CouponStatus.Issued } coupon)
                UnusedCodes.TryAdd(merchantName, coupon.Code);
        }
        await RedeemOneAsync(factory, merchantName, cancellationToken);
    }

    /// <summary>
    /// A 7-day trial coupon given to every third member when they joined (the last 30 days): those who joined over a week ago
    /// hold an expired one once the real expiry job has run, so the coupon figures show expiry too.
    /// </summary>
    private async Task IssueTrialCouponsAsync(OneMerchant factory, CouponIssuer issuer, List<(Guid Id, DateTimeOffset JoinedAt)> members, bool coffee,
        CancellationToken cancellationToken)
    {
        var trialTerms = new CouponTerms
        {
            Kind = CouponKind.CashOff,
            Currency = "CNY",
            FaceValueMinorUnits = coffee ? 500 : 300,
            MinimumSpendMinorUnits = coffee ? 3000 : 2000,
            Validity = CouponValidity.AfterIssue(TrialDays),
            TotalStock = 10_000,
            PerMemberLimit = 1,
            CodePattern = new CouponCodePattern(coffee ? "TRYAR" : "TRYFR", 8, CouponCodePattern.DefaultAlphabet),
        };
        var versionId = await DemoVersionAsync(factory, coffee ? "7天尝鲜券 咖啡" : "7天尝鲜券 鲜果", trialTerms, cancellationToken);
        var couponActivityId = versionId is null ? null
            : await DemoCouponActivityAsync(factory, versionId.Value, cancellationToken, TrialActivityName, startedDaysAgo: 120);
        if (couponActivityId is null)
            return;
        foreach (var (membershipId, joinedAt) in members.Where((_, i) => i % 3 == 0))
            await issuer.IssueAsync(new IssueRequest(couponActivityId.Value, membershipId, $"demo-trial:{membershipId:N}"), joinedAt, cancellationToken);
        await new CouponExpiryJob(contexts, clock, couponOptions).ExpireAsync(cancellationToken);
    }

    /// <summary>One demo coupon (never the banner's) is used at the till, so the figures show a redemption.</summary>
    private async Task RedeemOneAsync(OneMerchant factory, string merchantName, CancellationToken cancellationToken)
    {
        var unused = UnusedCodes.GetValueOrDefault(merchantName);
        string? code;
        await using (var db = factory.CreateDbContext())
        {
            if (await db.Coupons.AnyAsync(c => c.Status == CouponStatus.Redeemed && c.IssueKey.StartsWith("demo:"), cancellationToken))
                return;
            code = await db.Coupons.AsNoTracking().Where(c => c.Status == CouponStatus.Issued && c.IssueKey.StartsWith("demo:") && c.Code != unused)
                .OrderBy(c => c.Id).Select(c => c.Code).FirstOrDefaultAsync(cancellationToken);
        }
        if (code is not null)
            await new CouponRedemption(factory, couponOptions).RedeemAsync(code, 8_800, "", clock.GetUtcNow(), SystemActors.Demo, cancellationToken);
    }

    private Task<Guid?> DemoVersionAsync(OneMerchant factory, string name, bool coffee, CancellationToken cancellationToken) =>
        DemoVersionAsync(factory, name, new CouponTerms
        {
            Kind = CouponKind.CashOff,
            Currency = "CNY",
            FaceValueMinorUnits = coffee ? 1000 : 500,
            MinimumSpendMinorUnits = coffee ? 5000 : 3000,
            Validity = CouponValidity.AfterIssue(365),
            TotalStock = 10_000,
            PerMemberLimit = 5,
            CodePattern = new CouponCodePattern(coffee ? "AROMA" : "FRUIT", 8, CouponCodePattern.DefaultAlphabet),
        }, cancellationToken);

    private async Task<Guid?> DemoVersionAsync(OneMerchant factory, string name, CouponTerms terms, CancellationToken cancellationToken)
    {
        await using (var db = factory.CreateDbContext())
        {
            var existing = await db.CouponTemplates.AsNoTracking().Include(t => t.Versions).SingleOrDefaultAsync(t => t.Name == name, cancellationToken);
            if (existing is not null)
                return existing.LatestPublished?.Id;
        }
        var created = await new CouponTemplateService(factory, clock).CreateAsync(name, terms, publish: true, cancellationToken);
        return created.Succeeded ? created.VersionId : throw new InvalidOperationException($"Demo coupon template was refused: {created.Refusal?.English}");
    }

    private async Task<Guid?> DemoCouponActivityAsync(OneMerchant factory, Guid versionId, CancellationToken cancellationToken,
        string name = ActivityName, int startedDaysAgo = 1)
    {
        await using (var db = factory.CreateDbContext())
        {
            var existing = await db.Activities.AsNoTracking().Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Name == name, cancellationToken);
            if (existing is not null)
                return existing.Status == ActivityStatus.Effective ? existing.CouponActivities.FirstOrDefault()?.Id : null;
        }
        var activities = new ActivityService(factory, clock);
        var activity = await activities.CreateAsync(name, clock.GetUtcNow().AddDays(-startedDaysAgo), null, cancellationToken);
        var added = await activities.AddCouponActivityAsync(activity.Id!.Value, versionId, IssuingRule.ManualGrant, 5000, cancellationToken);
        var effective = await activities.MakeEffectiveAsync(activity.Id!.Value, cancellationToken: cancellationToken);
        if (!added.Succeeded || !effective.Succeeded)
            throw new InvalidOperationException($"Demo activity was refused: {(added.Refusal ?? effective.Refusal)?.English}");
        return added.VersionId;
    }

    /// <summary>The services read through a factory; the seed has no signed-in user, so it names the merchant itself.</summary>
    private sealed class OneMerchant(ProviderContextOptions contexts, Guid merchantId) : IDbContextFactory<MerchantDbContext>
    {
        public MerchantDbContext CreateDbContext() => contexts.CreateForMerchant(merchantId, SystemActors.Demo);
    }
}
