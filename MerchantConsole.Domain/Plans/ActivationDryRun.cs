using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>The part of a plan a dry-run problem is about. Where the user fixes it is the UI's choice.</summary>
public enum PlanPart
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

/// <summary>What a problem is about: the part of the plan and, when there is one, the entity (tier, channel or product).</summary>
public sealed record DryRunTarget(PlanPart Part, Guid? EntityId);

/// <summary>A reason the plan cannot go live yet, as a <see cref="Refusal"/> (code <c>DryRun.{Code}</c>) so the UI words it in its language.</summary>
public sealed record DryRunProblem(DryRunCode Code, DryRunTarget Target, Refusal Refusal)
{
    /// <summary>The English wording, for logs and the run's error column.</summary>
    public string Message => Refusal.English;

    /// <summary>A problem of <paramref name="code"/> about <paramref name="entityId"/>, in the part <see cref="ActivationDryRun.About"/> names.</summary>
    public static DryRunProblem Of(DryRunCode code, Guid? entityId, string englishText, params (string Name, object? Value)[] arguments) =>
        new(code, new DryRunTarget(ActivationDryRun.About(code), entityId), Refusal.Of($"DryRun.{code}", englishText, arguments));
}

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
        var basics = plan.Id;
        if (plan.CardTemplateVersionToActivate is null)
            problems.Add(DryRunProblem.Of(DryRunCode.TemplateVersionMissing, basics, "Choose the card template version the plan issues cards with."));
        else if (!context.TemplateVersionPublished)
            problems.Add(DryRunProblem.Of(DryRunCode.TemplateVersionNotPublished, basics, "The chosen card template version is not published yet; publish it or choose a published one."));
    }

    private static void CheckTiers(MembershipPlan plan, List<DryRunProblem> problems)
    {
        if (plan.Tiers.Count == 0)
        {
            problems.Add(DryRunProblem.Of(DryRunCode.NoTiers, null, "Add at least one tier; members join a tier."));
            return;
        }

        var tiers = plan.Tiers.OrderBy(t => t.Rank).ToList();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lastThreshold = new Dictionary<UpgradeRule, long>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var target = tier.Id;

            if (tier.Rank != i + 1)
                problems.Add(DryRunProblem.Of(DryRunCode.RanksNotContiguous, target, "Tier '{Tier}' has rank {Rank} where rank {Expected} is expected; ranks run 1, 2, 3… without gaps.", ("Tier", tier.Name), ("Rank", tier.Rank), ("Expected", i + 1)));

            if (tier.Name.Length == 0)
                problems.Add(DryRunProblem.Of(DryRunCode.TierNameMissing, target, "The tier at rank {Rank} needs a name.", ("Rank", tier.Rank)));
            else if (!names.Add(tier.Name))
                problems.Add(DryRunProblem.Of(DryRunCode.TierNameDuplicated, target, "Another tier is already called '{Tier}'; tier names must differ.", ("Tier", tier.Name)));

            if (!tier.UsesThreshold)
                continue;
            if (tier.Threshold is not { } threshold)
            {
                problems.Add(DryRunProblem.Of(DryRunCode.TierThresholdMissing, target, "Tier '{Tier}' is reached by {Rule} and needs a threshold.", ("Tier", tier.Name), ("Rule", tier.UpgradeRule)));
                continue;
            }
            // Spend (minor units) and points are different units, so each rule is compared only with itself.
            if (lastThreshold.TryGetValue(tier.UpgradeRule, out var previous) && threshold <= previous)
                problems.Add(DryRunProblem.Of(DryRunCode.TierThresholdNotIncreasing, target, "Tier '{Tier}' needs a higher {Rule} threshold than the tiers ranked below it ({Previous}).", ("Tier", tier.Name), ("Rule", tier.UpgradeRule), ("Previous", Threshold(plan, tier.UpgradeRule, previous))));
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
            var target = channel.Id;
            switch (channel.Type)
            {
                case JoinChannelType.SpendThreshold when channel.SpendThreshold is not > 0:
                    problems.Add(DryRunProblem.Of(DryRunCode.SpendThresholdMissing, target, "The spend-threshold channel in tier '{Tier}' needs a spend above zero.", ("Tier", tier.Name)));
                    break;
                case JoinChannelType.InviteCode when channel.InviteCode is null:
                    problems.Add(DryRunProblem.Of(DryRunCode.InviteCodeMissing, target, "The invite-code channel in tier '{Tier}' needs a code.", ("Tier", tier.Name)));
                    break;
                case JoinChannelType.InviteCode when !inviteCodes.Add(channel.InviteCode):
                    problems.Add(DryRunProblem.Of(DryRunCode.InviteCodeDuplicated, target, "Invite code {Code} is used by two channels of this plan.", ("Code", channel.InviteCode)));
                    break;
                case JoinChannelType.InviteCode when otherInviteCodes.Contains(channel.InviteCode):
                    problems.Add(DryRunProblem.Of(DryRunCode.InviteCodeClaimedByOtherPlan, target, "Invite code {Code} already belongs to another of your plans.", ("Code", channel.InviteCode)));
                    break;
                case JoinChannelType.StoreQr when channel.StoreCode is null:
                    problems.Add(DryRunProblem.Of(DryRunCode.StoreCodeMissing, target, "The store QR channel in tier '{Tier}' needs a store.", ("Tier", tier.Name)));
                    break;
                case JoinChannelType.StoreQr when !storeCodes.Add(channel.StoreCode):
                    problems.Add(DryRunProblem.Of(DryRunCode.StoreCodeDuplicated, target, "Store {Store} has two QR channels in this plan.", ("Store", channel.StoreCode)));
                    break;
                case JoinChannelType.StoreQr when otherStoreCodes.Contains(channel.StoreCode):
                    problems.Add(DryRunProblem.Of(DryRunCode.StoreCodeClaimedByOtherPlan, target, "Store {Store}'s QR code already joins another of your plans.", ("Store", channel.StoreCode)));
                    break;
                case JoinChannelType.Purchase when channel.Product is null:
                    problems.Add(DryRunProblem.Of(DryRunCode.PurchaseChannelWithoutProduct, channel.Id, "The purchase channel in tier '{Tier}' needs a product to sell.", ("Tier", tier.Name)));
                    break;
            }
        }
    }

    private static void CheckProducts(MembershipPlan plan, List<DryRunProblem> problems)
    {
        foreach (var product in plan.Products)
        {
            var target = product.Id;
            var price = product.PendingPrice ?? product.Price;
            if (price.MinorUnits <= 0)
                problems.Add(DryRunProblem.Of(DryRunCode.ProductPriceNotPositive, target, "Product '{Product}' needs a price above zero ({Price}); use a free signup channel for free membership.", ("Product", product.Name), ("Price", price)));
            if (product.Currency != plan.Currency)
                problems.Add(DryRunProblem.Of(DryRunCode.ProductCurrencyMismatch, target, "Product '{Product}' is priced in {ProductCurrency} but the plan sells in {Currency}.", ("Product", product.Name), ("ProductCurrency", product.Currency), ("Currency", plan.Currency)));
        }
    }

    /// <summary>
    /// The part of the plan a problem of this kind is about: the part its entity belongs to (a purchase channel that
    /// sells nothing is about the channel). Where the UI sends the user to fix it is the feature's mapping.
    /// </summary>
    public static PlanPart About(DryRunCode code) => code switch
    {
        DryRunCode.TemplateVersionMissing or DryRunCode.TemplateVersionNotPublished => PlanPart.Basics,
        DryRunCode.NoTiers or DryRunCode.RanksNotContiguous or DryRunCode.TierNameMissing or DryRunCode.TierNameDuplicated
            or DryRunCode.TierThresholdMissing or DryRunCode.TierThresholdNotIncreasing => PlanPart.Tiers,
        DryRunCode.SpendThresholdMissing or DryRunCode.InviteCodeMissing or DryRunCode.InviteCodeDuplicated
            or DryRunCode.InviteCodeClaimedByOtherPlan or DryRunCode.StoreCodeMissing or DryRunCode.StoreCodeDuplicated
            or DryRunCode.StoreCodeClaimedByOtherPlan or DryRunCode.PurchaseChannelWithoutProduct => PlanPart.Channels,
        DryRunCode.ProductPriceNotPositive or DryRunCode.ProductCurrencyMismatch => PlanPart.Products,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Every dry-run code names the plan part it is about."),
    };

    /// <summary>A spend threshold is money in the plan's currency; a points threshold is a count.</summary>
    private static object Threshold(MembershipPlan plan, UpgradeRule rule, long value) =>
        rule == UpgradeRule.CumulativeSpend ? new Money(value, plan.Currency) : value;
}
