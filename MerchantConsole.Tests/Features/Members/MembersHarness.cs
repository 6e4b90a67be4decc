using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>
/// A real database with two merchants, each with an Active plan: Silver (permanent; Manual, FreeSignup) and Gold
/// (365 days; Manual), issuing cards of a published template version.
/// </summary>
internal sealed class MembersHarness : IAsyncDisposable
{
    private MembersHarness(TestDatabase database, Merchant merchant, Merchant other)
    {
        Database = database;
        Merchant = merchant;
        OtherMerchant = other;
    }

    public TestDatabase Database { get; }
    public Merchant Merchant { get; }
    public Merchant OtherMerchant { get; }

    public static async Task<MembersHarness> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        return new MembersHarness(database, await database.AddMerchantAsync("members-a"), await database.AddMerchantAsync("members-b"));
    }

    public IDbContextFactory<MerchantDbContext> Contexts(Guid? merchantId = null, string actor = "admin@members.test")
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId ?? Merchant.Id, actor);
        return new MerchantDbContextFactory(Database.Contexts, scope);
    }

    public MembershipEnrolment Enrolment(Guid? merchantId = null, ICardNumberGenerator? cardNumbers = null) =>
        new(Contexts(merchantId), Database.Clock, cardNumbers ?? new RandomCardNumbers());

    public MemberQueries Queries(Guid? merchantId = null) => new(Contexts(merchantId));

    /// <summary>An Active plan of the merchant (the harness's by default) with its published card.</summary>
    /// <remarks><paramref name="goldSpend"/>: Gold is earned by that much spend (minor units) instead of by no rule.</remarks>
    public async Task<MembershipPlan> ActivePlanAsync(Guid? merchantId = null, string name = "Coffee club", PlanStatus status = PlanStatus.Active,
        long? goldSpend = null)
    {
        var owner = merchantId ?? Merchant.Id;
        var now = Database.Clock.GetUtcNow();
        var template = CardTemplate.Create(owner, "Coffee card", Designs.Compliant(), "tester", now);
        var version = template.Publish("tester", now);
        var plan = MembershipPlan.Create(owner, name, null, "CNY", now);
        plan.ChooseCardTemplateVersion(version.Id, now);
        var silver = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        plan.AddChannel(silver.Id, JoinChannelType.Manual, null, null, null, now);
        plan.AddChannel(silver.Id, JoinChannelType.FreeSignup, null, null, null, now);
        var gold = plan.AddTier("Gold", "#FFD700", goldSpend is null ? UpgradeRule.None : UpgradeRule.CumulativeSpend, goldSpend,
            TierValidity.DaysFromJoin, 365, now);
        plan.AddChannel(gold.Id, JoinChannelType.Manual, null, null, null, now);
        if (status != PlanStatus.Draft)
        {
            plan.BeginActivation(now);
            plan.MarkProductsPending(now);
            plan.MarkActive(now);
            plan.MarkProductsActive(now);
        }
        if (status == PlanStatus.Suspended)
            plan.Suspend(now);
        await using var db = Database.For(owner);
        db.CardTemplates.Add(template);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan;
    }

    public static EnrolRequest Request(MembershipPlan plan, string tier = "Silver", string phone = "13800138000", string name = "王小明",
        JoinChannelType channel = JoinChannelType.Manual, string? externalRef = null, DateOnly? birthday = null) =>
        new(plan.Id, plan.Tiers.Single(t => t.Name == tier).Id, plan.Tiers.Single(t => t.Name == tier).JoinChannels.First(c => c.Type == channel).Id,
            new CustomerDetails(phone, name, birthday, externalRef));

    public async Task<List<T>> AllAsync<T>() where T : class
    {
        await using var db = Database.Unscoped();
        return await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
