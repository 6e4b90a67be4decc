using MerchantConsole.Data;
using MerchantConsole.Messaging;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>On <see cref="PlanActivated"/>: the plan's products go on sale (the run's last step).</summary>
public sealed class PlanActivatedHandler(ActivationEngine engine) : MessageHandler<PlanActivated>
{
    protected override Task HandleAsync(PlanActivated message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken) =>
        engine.HandlePlanActivatedAsync(message, db, cancellationToken);
}
