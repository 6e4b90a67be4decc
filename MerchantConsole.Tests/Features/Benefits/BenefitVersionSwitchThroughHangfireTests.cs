using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Tests.Domain.Benefits;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>The switch-over job as the app registers it: triggered through Hangfire, it supersedes a version whose successor's day has come.</summary>
[Collection(AppCollection.Name)]
public sealed class BenefitVersionSwitchThroughHangfireTests(AppFixture app)
{
    [Fact]
    public async Task TheRegisteredRecurringJobSupersedesAVersionWhoseSuccessorsDayHasCome()
    {
        var contexts = app.Factory.Services.GetRequiredService<ProviderContextOptions>();
        Guid merchantId;
        await using (var db = app.Factory.CreateUnscopedContext())
            merchantId = (await db.Merchants.FirstAsync(m => m.Code == "fresh-orchard")).Id;
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Guid benefitId;
        await using (var db = contexts.CreateForMerchant(merchantId, "benefit tests"))
        {
            var plan = await db.MembershipPlans.Include(p => p.Tiers).FirstAsync(p => p.Status == PlanStatus.Active);
            // v2 was activated while its day (yesterday) was still ahead, so v1 stayed in force until the job comes.
            var benefit = TestBenefits.Live(plan, today.AddDays(-10), today.AddDays(-5), now, $"Switch {Guid.NewGuid():N}"[..20]);
            Assert.Empty(TestBenefits.Activate(benefit, today.AddDays(-1), today.AddDays(-5), now));
            db.Benefits.Add(benefit);
            await db.SaveChangesAsync();
            benefitId = benefit.Id;
        }

        app.Factory.Services.GetRequiredService<IRecurringJobManager>().Trigger(BenefitVersionSwitchJob.RecurringJobId);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<BenefitVersionStatus> statuses = [];
        while (DateTime.UtcNow < deadline && statuses.FirstOrDefault() != BenefitVersionStatus.Superseded)
        {
            await Task.Delay(250);
            await using var db = contexts.CreateForMerchant(merchantId, "benefit tests");
            statuses = await db.Benefits.Where(b => b.Id == benefitId).SelectMany(b => b.Versions).OrderBy(v => v.Number).Select(v => v.Status).ToListAsync();
        }

        Assert.Equal([BenefitVersionStatus.Superseded, BenefitVersionStatus.Active], statuses);
    }
}
