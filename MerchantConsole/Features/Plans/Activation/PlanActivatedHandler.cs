using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>
/// On <see cref="PlanActivated"/>: the plan's products go on sale. With a run id that is the run's last step, done by
/// the engine; without one (after a resume, which has no run) the products of the Active plan go on sale directly.
/// </summary>
public sealed class PlanActivatedHandler(WorkflowEngine engine, TimeProvider clock) : MessageHandler<PlanActivated>
{
    protected override async Task HandleAsync(PlanActivated message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken)
    {
        if (message.RunId is { } runId)
        {
            await engine.CompleteMessageStepAsync(db, runId, ActivationStepName.ProductsActive, cancellationToken);
            return;
        }
        var plan = await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == message.PlanId, cancellationToken);
        // Suspended again or retired before the message arrived: the products stay off sale.
        if (plan is not { Status: PlanStatus.Active, RevisionActivating: false } || plan.Products.All(p => p.Status != ProductStatus.Pending))
            return;
        plan.MarkProductsActive(clock.GetUtcNow());
        engine.NotifyAfterCommit(db, plan.MerchantId, plan.Id, Guid.Empty);
    }
}
