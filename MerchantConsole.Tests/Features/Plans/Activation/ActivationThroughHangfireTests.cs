using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Plans.Activation;

/// <summary>The whole sequence once for real: service → Hangfire step jobs → outbox dispatch → handler.</summary>
[Collection(AppCollection.Name)]
public sealed class ActivationThroughHangfireTests(AppFixture app)
{
    [Fact]
    public async Task AnActivationQueuedOnHangfireReachesActiveWithinSeconds()
    {
        var contexts = app.Factory.Services.GetRequiredService<ProviderContextOptions>();
        Guid merchantId;
        await using (var db = app.Factory.CreateUnscopedContext())
            merchantId = (await db.Merchants.FirstAsync(m => m.Code == "fresh-orchard")).Id;
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, "admin@orchard.demo");
        var now = DateTimeOffset.UtcNow;
        var template = CardTemplate.Create(merchantId, "Hangfire test card", Designs.Compliant(), "test", now);
        var version = template.Publish("test", now);
        var plan = MembershipPlan.Create(merchantId, $"Hangfire plan {Guid.NewGuid():N}", null, "CNY", now);
        plan.ChooseCardTemplateVersion(version.Id, now);
        var tier = plan.AddTier("Regular", "#336699", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        var purchase = plan.AddChannel(tier.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddProduct(purchase.Id, "Monthly pass", new Money(2_900, "CNY"), 1, DurationUnit.Months, null, null, RenewalRule.None, now);
        await using (var db = contexts.Create(scope))
        {
            db.CardTemplates.Add(template);
            db.MembershipPlans.Add(plan);
            await db.SaveChangesAsync();
        }

        Guid runId;
        await using (var services = app.Factory.Services.CreateAsyncScope())
        {
            services.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchantId, "admin@orchard.demo");
            runId = await services.ServiceProvider.GetRequiredService<PlanActivationService>().StartActivationAsync(plan.Id);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        WorkflowRun? run = null;
        MembershipPlan? live = null;
        while (DateTime.UtcNow < deadline && run?.Status != WorkflowRunStatus.Succeeded)
        {
            await Task.Delay(250);
            await using var db = contexts.Create(scope);
            run = await db.WorkflowRuns.AsNoTracking().WithSteps().SingleAsync(r => r.Id == runId);
            live = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == plan.Id);
        }

        Assert.Equal(WorkflowRunStatus.Succeeded, run?.Status);
        Assert.Equal(PlanStatus.Active, live!.Status);
        Assert.Equal(ProductStatus.Active, live.Products.Single().Status);
        Assert.All(run!.Steps, s => Assert.Equal(1, s.Attempts));
    }
}
