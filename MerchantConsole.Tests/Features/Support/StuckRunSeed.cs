using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Support;

/// <summary>
/// A Stuck run of Fresh Orchard in the shared app, stuck at Validate with its only attempt spent. Its plan's template
/// version is not published, so a retry ends in a rollback.
/// </summary>
internal static class StuckRunSeed
{
    public static async Task<(Guid PlanId, Guid RunId)> CreateAsync(AppFixture app, string planName, string error)
    {
        Guid merchantId;
        await using (var db = app.Factory.CreateUnscopedContext())
            merchantId = (await db.Merchants.FirstAsync(m => m.Code == "fresh-orchard")).Id;
        var now = DateTimeOffset.UtcNow;
        var plan = MembershipPlan.Create(merchantId, planName, null, "CNY", now);
        plan.ChooseCardTemplateVersion(Guid.NewGuid(), now);
        var tier = plan.AddTier("Regular", "#336699", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var channel = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddProduct(channel.Id, "Monthly pass", new Money(2_900, "CNY"), 1, DurationUnit.Months, null, null, RenewalRule.None, now);
        var run = PlanActivation.Start(plan, "admin@orchard.demo", now);
        run.StartStep(ActivationStepName.Validate, now);
        run.FailStep(ActivationStepName.Validate, error, now, new StepRetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, "test");
        await using (var db = app.Factory.Services.GetRequiredService<ProviderContextOptions>().Create(scope))
        {
            db.MembershipPlans.Add(plan);
            db.WorkflowRuns.Add(run);
            await db.SaveChangesAsync();
        }
        return (plan.Id, run.Id);
    }
}
