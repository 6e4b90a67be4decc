namespace MerchantConsole.Domain.Plans;

/// <summary>The wizard step where a problem can be fixed.</summary>
public enum WizardStep
{
    Basics,
    Tiers,
    Channels,
    Products,
}

public enum DryRunCode
{
    TemplateVersionMissing,
    TemplateVersionNotPublished,
    NoTiers,
    RanksNotContiguous,
    TierNameMissing,
    TierNameDuplicated,
    TierThresholdMissing,
    TierThresholdNotIncreasing,
    SpendThresholdMissing,
    InviteCodeMissing,
    InviteCodeDuplicated,
    InviteCodeClaimedByOtherPlan,
    StoreCodeMissing,
    StoreCodeDuplicated,
    StoreCodeClaimedByOtherPlan,
    PurchaseChannelWithoutProduct,
    ProductPriceNotPositive,
    ProductCurrencyMismatch,
}

/// <summary>Where to send the user to fix a problem: a wizard step and, when there is one, the entity.</summary>
public sealed record DryRunTarget(WizardStep Step, Guid? EntityId);

public sealed record DryRunProblem(DryRunCode Code, string Message, DryRunTarget Target);

/// <summary>What the plan itself cannot know, looked up by the caller.</summary>
/// <param name="TemplateVersionPublished">Whether <see cref="MembershipPlan.CardTemplateVersionToActivate"/> is published.</param>
/// <param name="InviteCodesOfOtherPlans">Invite codes on every channel (enabled or not) of the merchant's other non-retired plans.</param>
/// <param name="StoreCodesOfOtherPlans">Store codes on every StoreQr channel (enabled or not) of those plans.</param>
public sealed record DryRunContext(
    bool TemplateVersionPublished,
    IReadOnlyCollection<string> InviteCodesOfOtherPlans,
    IReadOnlyCollection<string> StoreCodesOfOtherPlans);

/// <summary>
/// The review step before activation, and the run's first step. Lists every problem at once so the user can fix
/// them in one pass. It checks the plan as it will be once live, pending revision included, and checks disabled
/// channels too because enabling a channel later takes effect without another dry run.
/// </summary>
public static class ActivationDryRun
{
    public static IReadOnlyList<DryRunProblem> Check(MembershipPlan plan, DryRunContext context)
    {
        var problems = new List<DryRunProblem>();
        CheckBasics(plan, context, problems);
        CheckTiers(plan, problems);
        CheckChannels(plan, context, problems);
        CheckProducts(plan, problems);
        return problems;
    }

    private static void CheckBasics(MembershipPlan plan, DryRunContext context, List<DryRunProblem> problems)
    {
        var basics = new DryRunTarget(WizardStep.Basics, plan.Id);
        if (plan.CardTemplateVersionToActivate is null)
            problems.Add(new(DryRunCode.TemplateVersionMissing, "Choose the card template version the plan issues cards with.", basics));
        else if (!context.TemplateVersionPublished)
            problems.Add(new(DryRunCode.TemplateVersionNotPublished, "The chosen card template version is not published yet; publish it or choose a published one.", basics));
    }

    private static void CheckTiers(MembershipPlan plan, List<DryRunProblem> problems)
    {
        if (plan.Tiers.Count == 0)
        {
            problems.Add(new(DryRunCode.NoTiers, "Add at least one tier; members join a tier.", new(WizardStep.Tiers, null)));
            return;
        }

        var tiers = plan.Tiers.OrderBy(t => t.Rank).ToList();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lastThreshold = new Dictionary<UpgradeRule, long>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var target = new DryRunTarget(WizardStep.Tiers, tier.Id);
            var label = tier.Name.Length == 0 ? $"Tier at rank {tier.Rank}" : $"Tier '{tier.Name}'";

            if (tier.Rank != i + 1)
                problems.Add(new(DryRunCode.RanksNotContiguous, $"{label} has rank {tier.Rank} where rank {i + 1} is expected; ranks run 1, 2, 3… without gaps.", target));

            if (tier.Name.Length == 0)
                problems.Add(new(DryRunCode.TierNameMissing, $"{label} needs a name.", target));
            else if (!names.Add(tier.Name))
                problems.Add(new(DryRunCode.TierNameDuplicated, $"Another tier is already called '{tier.Name}'; tier names must differ.", target));

            if (!tier.UsesThreshold)
                continue;
            if (tier.Threshold is not { } threshold)
            {
                problems.Add(new(DryRunCode.TierThresholdMissing, $"{label} is reached by {Describe(tier.UpgradeRule)} and needs a threshold.", target));
                continue;
            }
            // Spend (minor units) and points are different units, so each rule is compared only with itself.
            if (lastThreshold.TryGetValue(tier.UpgradeRule, out var previous) && threshold <= previous)
                problems.Add(new(DryRunCode.TierThresholdNotIncreasing, $"{label} needs a higher {Describe(tier.UpgradeRule)} threshold than the tiers ranked below it ({previous}).", target));
            lastThreshold[tier.UpgradeRule] = Math.Max(threshold, previous);
        }
    }

    private static void CheckChannels(MembershipPlan plan, DryRunContext context, List<DryRunProblem> problems)
    {
        var otherInviteCodes = new HashSet<string>(context.InviteCodesOfOtherPlans, StringComparer.OrdinalIgnoreCase);
        var otherStoreCodes = new HashSet<string>(context.StoreCodesOfOtherPlans, StringComparer.OrdinalIgnoreCase);
        var inviteCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var storeCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var tier in plan.Tiers)
        foreach (var channel in tier.JoinChannels)
        {
            var target = new DryRunTarget(WizardStep.Channels, channel.Id);
            var where = $"in tier '{tier.Name}'";
            switch (channel.Type)
            {
                case JoinChannelType.SpendThreshold when channel.SpendThreshold is not > 0:
                    problems.Add(new(DryRunCode.SpendThresholdMissing, $"The spend-threshold channel {where} needs a spend above zero.", target));
                    break;
                case JoinChannelType.InviteCode when channel.InviteCode is null:
                    problems.Add(new(DryRunCode.InviteCodeMissing, $"The invite-code channel {where} needs a code.", target));
                    break;
                case JoinChannelType.InviteCode when !inviteCodes.Add(channel.InviteCode):
                    problems.Add(new(DryRunCode.InviteCodeDuplicated, $"Invite code {channel.InviteCode} is used by two channels of this plan.", target));
                    break;
                case JoinChannelType.InviteCode when otherInviteCodes.Contains(channel.InviteCode):
                    problems.Add(new(DryRunCode.InviteCodeClaimedByOtherPlan, $"Invite code {channel.InviteCode} already belongs to another of your plans.", target));
                    break;
                case JoinChannelType.StoreQr when channel.StoreCode is null:
                    problems.Add(new(DryRunCode.StoreCodeMissing, $"The store QR channel {where} needs a store.", target));
                    break;
                case JoinChannelType.StoreQr when !storeCodes.Add(channel.StoreCode):
                    problems.Add(new(DryRunCode.StoreCodeDuplicated, $"Store {channel.StoreCode} has two QR channels in this plan.", target));
                    break;
                case JoinChannelType.StoreQr when otherStoreCodes.Contains(channel.StoreCode):
                    problems.Add(new(DryRunCode.StoreCodeClaimedByOtherPlan, $"Store {channel.StoreCode}'s QR code already joins another of your plans.", target));
                    break;
                case JoinChannelType.Purchase when channel.Product is null:
                    problems.Add(new(DryRunCode.PurchaseChannelWithoutProduct, $"The purchase channel {where} needs a product to sell.", target));
                    break;
            }
        }
    }

    private static void CheckProducts(MembershipPlan plan, List<DryRunProblem> problems)
    {
        foreach (var product in plan.Products)
        {
            var target = new DryRunTarget(WizardStep.Products, product.Id);
            var price = product.PendingPrice ?? product.Price;
            if (price.MinorUnits <= 0)
                problems.Add(new(DryRunCode.ProductPriceNotPositive, $"Product '{product.Name}' needs a price above zero; use a free signup channel for free membership.", target));
            if (product.Currency != plan.Currency)
                problems.Add(new(DryRunCode.ProductCurrencyMismatch, $"Product '{product.Name}' is priced in {product.Currency} but the plan sells in {plan.Currency}.", target));
        }
    }

    private static string Describe(UpgradeRule rule) => rule switch
    {
        UpgradeRule.CumulativeSpend => "cumulative spend",
        UpgradeRule.Points => "points",
        _ => rule.ToString(),
    };
}
