namespace MerchantConsole.Domain.Plans;

/// <summary>
/// Rules that must hold whatever failed halfway: checked by fault-injection tests after every fault and usable
/// by the support console to show that a repaired plan is consistent. Empty means consistent.
/// </summary>
public static class PlanInvariants
{
    public static IReadOnlyList<string> Violations(MembershipPlan plan)
    {
        var violations = new List<string>();

        for (var i = 0; i < plan.Tiers.Count; i++)
            if (plan.Tiers[i].Rank != i + 1)
                violations.Add($"Tier '{plan.Tiers[i].Name}' has rank {plan.Tiers[i].Rank} where {i + 1} was expected.");

        foreach (var channel in plan.Channels)
            if (channel.Product is not null && channel.Type != JoinChannelType.Purchase)
                violations.Add($"A {channel.Type} channel has a product; only Purchase channels sell one.");

        foreach (var product in plan.Products)
        {
            if (product.Status == ProductStatus.Active && plan.Status != PlanStatus.Active)
                violations.Add($"Active product '{product.Name}' under a {plan.Status} plan.");
            if (product.Status == ProductStatus.Pending && plan.Status is PlanStatus.Draft or PlanStatus.Suspended or PlanStatus.Retired)
                violations.Add($"Pending product '{product.Name}' under a {plan.Status} plan.");
            if (product.Status is ProductStatus.Inactive && !plan.HasGoneLive)
                violations.Add($"Inactive product '{product.Name}' under a plan that has never been live.");
            if (product.Status != ProductStatus.Draft && plan.IsPendingRevision(product) && !plan.RevisionActivating)
                violations.Add($"Product '{product.Name}' of a pending revision is {product.Status} while no revision is being activated.");
            if (product.PendingPriceMinorUnits is not null && !plan.HasGoneLive)
                violations.Add($"Product '{product.Name}' has a pending price on a plan that has never been live.");
        }

        if (plan.RevisionActivating && plan.Status != PlanStatus.Active)
            violations.Add($"A revision is being activated on a {plan.Status} plan.");
        if (plan.PendingCardTemplateVersionId is not null && !plan.HasGoneLive)
            violations.Add("A pending card template version on a plan that has never been live.");

        return violations;
    }
}
