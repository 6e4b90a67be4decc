using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>Loads aggregates whole and in the order their domain relies on.</summary>
public static class PlanLoading
{
    /// <summary>The plan with tiers (in rank order, which the domain's invariants rely on), channels and products.</summary>
    public static IQueryable<MembershipPlan> WithParts(this IQueryable<MembershipPlan> plans) =>
        plans.Include(p => p.Tiers.OrderBy(t => t.Rank))
            .ThenInclude(t => t.JoinChannels)
            .ThenInclude(c => c.Product)
            .AsSplitQuery();
}
