using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Messaging;
using MerchantConsole.Workflows;

namespace MerchantConsole.Features.Benefits.Activation;

/// <summary>On <see cref="ActivityEffective"/> of a benefit activation: the Bind step (the version Active, its coupon activity Effective).</summary>
public sealed class BenefitBindHandler(WorkflowEngine engine) : MessageHandler<ActivityEffective>
{
    protected override Task HandleAsync(ActivityEffective message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken) =>
        message.RunId is { } runId
            ? engine.CompleteMessageStepAsync(db, runId, BenefitStepName.Bind, cancellationToken)
            : Task.CompletedTask;
}
