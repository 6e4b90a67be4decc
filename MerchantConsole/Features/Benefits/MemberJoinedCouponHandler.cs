using MerchantConsole.Data;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Messaging;

namespace MerchantConsole.Features.Benefits;

/// <summary>
/// On <see cref="MemberJoined"/>: one coupon of each Active OnJoin coupon benefit of the plan covering the member's
/// tier, keyed <see cref="IssueKeys.Join"/>(version), so a message delivered twice issues once. A refusal (budget or
/// stock spent) is logged and skipped: the member joined either way.
/// </summary>
public sealed class MemberJoinedCouponHandler(ProviderContextOptions contexts, ICouponCodeRandom random, ILogger<MemberJoinedCouponHandler> logger)
    : MessageHandler<MemberJoined>
{
    /// <summary>Its inbox name, which a purchase writes when it issued the join coupons itself (<see cref="Orders.OrderFulfilment"/>).</summary>
    public const string InboxName = nameof(MemberJoinedCouponHandler);
    public override string Name => InboxName;

    protected override async Task HandleAsync(MemberJoined message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken)
    {
        var issues = await CouponBenefits.OnJoinAsync(db, envelope.MerchantId, message, cancellationToken);
        if (issues.Count == 0)
            return;
        var scope = new MerchantScope();
        scope.UseMerchant(envelope.MerchantId, $"{SystemActors.Outbox}:{Name}");
        var issuer = new CouponIssuer(new MerchantDbContextFactory(contexts, scope), random);
        foreach (var (benefit, request) in issues)
        {
            var result = await issuer.IssueAsync(request, message.JoinedAt, cancellationToken);
            if (result.Outcome == IssueOutcome.Refused)
                logger.LogWarning("Benefit {Benefit} issued no coupon to member {Membership} on join: {Refusal}", benefit.BenefitId, message.MembershipId, result.Refusal?.English);
        }
    }
}
