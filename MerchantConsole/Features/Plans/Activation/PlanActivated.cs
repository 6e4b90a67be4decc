namespace MerchantConsole.Features.Plans.Activation;

/// <summary>
/// The plan is Active: its Pending products may go on sale. Written in the same transaction as the plan's change.
/// <paramref name="RunId"/> is the activation run whose last step this completes; null after a resume, which has no run.
/// </summary>
public sealed record PlanActivated(Guid PlanId, Guid? RunId);
