using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits;

/// <summary>
/// A coupon benefit on each demo merchant's demo plan: the demo coupon issued to every new member on joining, made and
/// activated through the real <see cref="BenefitService"/> and activation workflow. The seed drives the run to its end
/// itself (steps, then the activity's message that binds it), so the benefit is Active when the app starts serving.
/// Runs after the coupon seed, whose template it uses; running it again changes nothing (the benefit is found by name).
/// </summary>
public sealed class BenefitsDemo(IServiceScopeFactory scopes, TimeProvider clock, ILogger<BenefitsDemo> logger) : IDemoMerchantSeed
{
    public const string BenefitName = "新会员礼券 Welcome gift";
    private const int Budget = 5_000;
    // Steps plus outbox rounds; an activation takes six steps and one message.
    private const int MaxRounds = 30;

    public int Stage => 2;

    public async Task SeedAsync(Guid merchantId, string merchantName, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<MerchantScope>().UseMerchant(merchantId, SystemActors.Demo);
        var contexts = services.GetRequiredService<IDbContextFactory<MerchantDbContext>>();
        Guid planId;
        Guid versionId;
        DateOnly today;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var plan = await db.MembershipPlans.AsNoTracking().Where(p => p.Status == PlanStatus.Active)
                .OrderBy(p => p.CreatedAt).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
            var templateName = CouponsDemo.TemplateName(merchantName);
            var version = await db.CouponTemplates.AsNoTracking().Where(t => t.Name == templateName)
                .SelectMany(t => t.Versions).Where(v => v.Status == CouponTemplateVersionStatus.Published)
                .OrderByDescending(v => v.Number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(cancellationToken);
            if (plan is null || version is null || await db.Benefits.AnyAsync(b => b.PlanId == plan && b.Name == BenefitName, cancellationToken))
                return;
            (planId, versionId) = (plan.Value, version.Value);
            today = await CouponBenefits.TodayAsync(db, merchantId, clock.GetUtcNow(), cancellationToken);
        }

        var benefits = services.GetRequiredService<BenefitService>();
        var created = await benefits.CreateAsync(planId, BenefitName, [], BenefitKind.Coupon, cancellationToken);
        var settled = created.Succeeded
            ? await benefits.SaveSettingsAsync(created.Id!.Value, new BenefitSettings(today, TemplateVersionId: versionId, Rule: IssuingRule.OnJoin,
                Budget: Budget), cancellationToken)
            : created;
        if (!settled.Succeeded)
            throw new InvalidOperationException($"Demo benefit was refused: {settled.Refusal?.English}");
        var runId = await benefits.ActivateAsync(created.Id!.Value, cancellationToken);

        var engine = services.GetRequiredService<WorkflowEngine>();
        var outbox = services.GetRequiredService<OutboxDispatcher>();
        for (var round = 0; round < MaxRounds; round++)
        {
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
                if (await db.WorkflowRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken) != WorkflowRunStatus.Running)
                    break;
            if (await engine.RunNextStepAsync(merchantId, runId, cancellationToken) is StepOutcome.NothingToDo or StepOutcome.NotDue)
                await outbox.DispatchAsync(cancellationToken);
        }
        logger.LogInformation("Seeded the demo benefit {Benefit} of {Merchant}", BenefitName, merchantName);
    }
}
