using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.Domain.Coupons;
using MerchantConsole.Tests.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Grants;

/// <summary>The members harness (two merchants, an Active plan with Silver and Gold) plus the coupon and grant services on its database.</summary>
internal sealed class GrantHarness : IAsyncDisposable
{
    private GrantHarness(MembersHarness members) => Members = members;

    public MembersHarness Members { get; }
    public TestSupport.TestDatabase Database => Members.Database;
    public Guid MerchantId => Members.Merchant.Id;
    public DateTimeOffset Now => Database.Clock.GetUtcNow();
    public GrantOptions Options { get; } = new() { BatchSize = 10 };
    public RecordingJobs Jobs { get; } = new();
    public IGrantBatchHook Hook { get; set; } = new NoGrantBatchHook();
    public ICouponActivityAudience Audience { get; set; } = new NoCouponActivityAudience();
    public ICouponCodeRandom Random { get; set; } = new SecureCouponCodeRandom();

    public static async Task<GrantHarness> CreateAsync() => new(await MembersHarness.CreateAsync());

    public IDbContextFactory<MerchantDbContext> Contexts(Guid? merchantId = null) => Members.Contexts(merchantId, "admin@grants.test");

    public GrantService Service(Guid? merchantId = null) =>
        new(Contexts(merchantId), Jobs, Database.Clock, Microsoft.Extensions.Options.Options.Create(Options));

    public CouponGrantJob Job() =>
        new(Database.Contexts, Issuer(), Database.Clock, Microsoft.Extensions.Options.Options.Create(Options), Hook, new GrantProgress());

    public PeriodicIssuanceJob PeriodicJob() =>
        new(Database.Contexts, Issuer(), Audience, Database.Clock, Microsoft.Extensions.Options.Options.Create(Options));

    private BulkCouponIssuer Issuer() => new(new CouponBatchIssuer(Contexts(), Random));

    /// <summary>An effective activity with one coupon activity of <paramref name="rule"/>; returns both ids.</summary>
    public async Task<(Guid ActivityId, Guid CouponActivityId)> CouponActivityAsync(int budget = 1000, IssuingRule? rule = null, Guid? merchantId = null)
    {
        var templates = new CouponTemplateService(Contexts(merchantId), Database.Clock);
        var activities = new ActivityService(Contexts(merchantId), Database.Clock);
        var template = await templates.CreateAsync("满100减20", CouponTestTerms.CashOff(), publish: true);
        Assert.True(template.Succeeded, template.Refusal?.English);
        var activity = await activities.CreateAsync("Winter", Now.AddDays(-1), null);
        var added = await activities.AddCouponActivityAsync(activity.Id!.Value, template.VersionId!.Value, rule ?? IssuingRule.ManualGrant, budget);
        Assert.True(added.Succeeded, added.Refusal?.English);
        Assert.True((await activities.MakeEffectiveAsync(activity.Id!.Value)).Succeeded);
        return (activity.Id!.Value, added.VersionId!.Value);
    }

    /// <summary>Enrols <paramref name="count"/> members in <paramref name="tier"/>; returns their membership ids.</summary>
    public async Task<List<Guid>> EnrolAsync(MembershipPlan plan, int count, string tier = "Silver", int phoneStart = 0, Func<int, DateOnly?>? birthday = null, Guid? merchantId = null)
    {
        var enrolment = Members.Enrolment(merchantId);
        var ids = new List<Guid>();
        for (var i = phoneStart; i < phoneStart + count; i++)
        {
            var result = await enrolment.EnrolAsync(MembersHarness.Request(plan, tier, phone: $"1390000{i:0000}", name: $"会员{i}", externalRef: $"EXT-{i}", birthday: birthday?.Invoke(i)));
            Assert.True(result.Succeeded, result.Refusal?.English);
            ids.Add(result.MembershipId!.Value);
        }
        return ids;
    }

    public async Task<List<T>> AllAsync<T>() where T : class => await Members.AllAsync<T>();

    public ValueTask DisposeAsync() => Members.DisposeAsync();
}

/// <summary>Hangfire's client, recording what was enqueued instead of running it.</summary>
internal sealed class RecordingJobs : IBackgroundJobClient
{
    public List<Job> Created { get; } = [];
    public string Create(Job job, IState state)
    {
        Created.Add(job);
        return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}

/// <summary>Plays a process dying after a given batch's commit, once.</summary>
internal sealed class CrashAfterBatch(int batch) : IGrantBatchHook
{
    public bool Crashed { get; private set; }
    public void BatchCommitted(Guid grantId, int batchNumber)
    {
        if (batchNumber == batch && !Crashed)
        {
            Crashed = true;
            throw new InvalidOperationException("The process died.");
        }
    }
}
