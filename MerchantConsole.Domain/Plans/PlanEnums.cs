namespace MerchantConsole.Domain.Plans;

public enum PlanStatus
{
    Draft,
    Activating,
    Active,
    Suspended,
    Retired,
}

/// <summary>How long a membership of the plan lasts unless a tier or product says otherwise.</summary>
public enum ValidityPolicy
{
    Permanent,
    FixedDays,
    UntilDate,
}

public enum UpgradeRule
{
    None,
    /// <summary>Threshold is total spend in minor units of the plan currency.</summary>
    CumulativeSpend,
    /// <summary>Threshold is a points count.</summary>
    Points,
    PaidOnly,
}

public enum TierValidity
{
    Permanent,
    DaysFromJoin,
}

public enum JoinChannelType
{
    FreeSignup,
    Purchase,
    SpendThreshold,
    InviteCode,
    StoreQr,
    Manual,
}

public enum DurationUnit
{
    Days,
    Months,
    Years,
}

public enum RenewalRule
{
    None,
    ManualRenewal,
    AutoRenew,
}

public enum ProductStatus
{
    Draft,
    Pending,
    Active,
    Inactive,
}

/// <summary>What refunding a paid membership does (see ARCHITECTURE.md, Orders).</summary>
public enum RefundPolicy
{
    /// <summary>Revoke the card (cancel the membership) and its unused coupons; redeemed coupons stay redeemed.</summary>
    RevokeUnused,
    /// <summary>Refuse the refund once any coupon of the membership has been redeemed; otherwise as RevokeUnused.</summary>
    RefuseWhenUsed,
}
