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

    /// <summary>The run with its steps in run order (its next step is the first not done) and its notes.</summary>
    public static IQueryable<ActivationRun> WithSteps(this IQueryable<ActivationRun> runs) =>
        runs.Include(r => r.Steps.OrderBy(s => s.Order))
            .Include(r => r.Notes.OrderBy(n => n.At))
            .AsSplitQuery();
}
