using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Coupons;

/// <summary>
/// One issued coupon (发券实例): a code a member holds, valid between two instants computed at issue.
/// Issued → Redeemed | Expired | Revoked; a redemption reversed within the window goes back to Issued.
/// Changes go through the methods below; the services save them as updates conditional on <see cref="Status"/>
/// (a concurrency token), so of two redemptions of one code exactly one succeeds.
/// </summary>
public sealed class Coupon : IMerchantOwned
{
    public static readonly TextLimit ReasonLimit = TextLimit.Of(200);
    public const int StoreCodeMaxLength = CouponTerms.StoreCodeMaxLength;
    public const int IssueKeyMaxLength = 100;
    public const int ActorMaxLength = 256;

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid CouponActivityId { get; private set; }
    public Guid CouponTemplateVersionId { get; private set; }
    /// <summary>The member (a Membership) it was issued to.</summary>
    public Guid MembershipId { get; private set; }
    /// <summary>The benefit version it was issued under, when a benefit issued it.</summary>
    public Guid? BenefitVersionId { get; private set; }
    /// <summary>Upper case, unique per merchant.</summary>
    public string Code { get; private set; } = "";
    /// <summary>Idempotency key: one coupon per member and key (e.g. <c>join:{benefitVersionId}</c>, <c>grant:{grantId}</c>).</summary>
    public string IssueKey { get; private set; } = "";
    public string Currency { get; private set; } = "CNY";
    public CouponStatus Status { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset ValidFrom { get; private set; }
    /// <summary>The first instant the coupon is no longer valid (the end of its last local day).</summary>
    public DateTimeOffset ValidUntil { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }
    public string? RedeemedBy { get; private set; }
    public string? RedeemedStoreCode { get; private set; }
    public long? RedeemedOrderMinorUnits { get; private set; }
    public long? DiscountMinorUnits { get; private set; }
    public DateTimeOffset? ReversedAt { get; private set; }
    public string? ReversedBy { get; private set; }
    public string? ReversalReason { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }
    public string? RevokeReason { get; private set; }
    /// <summary>Set by the expiry job, which moves coupons past <see cref="ValidUntil"/> to Expired in bulk.</summary>
    public DateTimeOffset? ExpiredAt { get; private set; }

    private Coupon() { }

    public static Coupon Issue(Guid merchantId, CouponActivity couponActivity, CouponTemplateVersion version, Guid membershipId, Guid? benefitVersionId,
        string issueKey, string code, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (membershipId == Guid.Empty)
            throw new DomainException("Coupon.MemberRequired", "A coupon is issued to a member.");
        var (from, until) = version.Terms.Validity.For(now, zone);
        return new Coupon
        {
            // Time-ordered, so new coupons append to the key's index instead of landing on random pages (bulk grants).
            Id = Guid.CreateVersion7(now),
            MerchantId = merchantId,
            CouponActivityId = couponActivity.Id,
            CouponTemplateVersionId = version.Id,
            MembershipId = membershipId,
            BenefitVersionId = benefitVersionId,
            IssueKey = IssueKeys.Validated(issueKey),
            Code = code,
            Currency = version.Currency,
            Status = CouponStatus.Issued,
            IssuedAt = now,
            ValidFrom = from,
            ValidUntil = until,
        };
    }

    /// <summary>
    /// Whether the coupon can be used at <paramref name="at"/> as far as its own state and dates go; refusals name
    /// days and times in <paramref name="zone"/>, the merchant's.
    /// </summary>
    public void EnsureRedeemable(DateTimeOffset at, TimeZoneInfo zone)
    {
        var lastDay = LocalDays.DateOf(ValidUntil.AddTicks(-1), zone);
        switch (Status)
        {
            case CouponStatus.Redeemed:
                throw new DomainException("Coupon.AlreadyRedeemed", "This coupon was already used at {At}.", ("At", Local(RedeemedAt!.Value, zone)));
            case CouponStatus.Revoked:
                throw new DomainException("Coupon.Revoked", "This coupon was revoked.");
            case CouponStatus.Expired:
                throw new DomainException("Coupon.Expired", "This coupon expired at the end of {Day}.", ("Day", lastDay));
        }
        if (at >= ValidUntil)
            throw new DomainException("Coupon.Expired", "This coupon expired at the end of {Day}.", ("Day", lastDay));
        if (at < ValidFrom)
            throw new DomainException("Coupon.NotYetValid", "This coupon is valid from {At}.", ("At", Local(ValidFrom, zone)));
    }

    private static DateTime Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>Uses the coupon on an order, checking its state, dates and the template's terms; returns the discount.</summary>
    public long Redeem(CouponTerms terms, long orderAmountMinor, string storeCode, DateTimeOffset at, TimeZoneInfo zone, string by)
    {
        EnsureRedeemable(at, zone);
        terms.EnsureUsable(at, zone, storeCode, orderAmountMinor);
        var discount = terms.DiscountOn(orderAmountMinor);
        Status = CouponStatus.Redeemed;
        RedeemedAt = at;
        RedeemedBy = Actor(by);
        RedeemedStoreCode = (storeCode ?? "").Trim().ToUpperInvariant();
        RedeemedOrderMinorUnits = orderAmountMinor;
        DiscountMinorUnits = discount;
        return discount;
    }

    /// <summary>Puts a redeemed coupon back to Issued within <paramref name="window"/> of its redemption, with a reason.</summary>
    public void ReverseRedemption(string reason, TimeSpan window, DateTimeOffset at, TimeZoneInfo zone, string by)
    {
        if (Status != CouponStatus.Redeemed || RedeemedAt is not { } redeemedAt)
            throw new DomainException("Coupon.NotRedeemed", "Only a redeemed coupon can have its redemption reversed.");
        if (at - redeemedAt > window)
            throw new DomainException("Coupon.ReversalWindowPassed", "A redemption can be reversed within {Hours} hours; this one was on {At}.",
                ("Hours", window.TotalHours), ("At", Local(redeemedAt, zone)));
        ReversalReason = RequireReason(reason);
        ReversedAt = at;
        ReversedBy = Actor(by);
        Status = CouponStatus.Issued;
        RedeemedAt = null;
        RedeemedBy = null;
        RedeemedStoreCode = null;
        RedeemedOrderMinorUnits = null;
        DiscountMinorUnits = null;
    }

    public void Revoke(string reason, DateTimeOffset at, string by)
    {
        if (Status != CouponStatus.Issued)
            throw new DomainException("Coupon.NotRevocable", "Only an unused coupon can be revoked; this one is {Status}.", ("Status", Status));
        RevokeReason = RequireReason(reason);
        RevokedAt = at;
        RevokedBy = Actor(by);
        Status = CouponStatus.Revoked;
    }

    private static string RequireReason(string reason)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0)
            throw new DomainException("Coupon.ReasonRequired", "Say why, for the audit trail.");
        ReasonLimit.Enforce(reason, "CouponReason", "A reason");
        return reason;
    }

    private static string Actor(string by) =>
        string.IsNullOrWhiteSpace(by) ? throw new DomainException("Coupon.ActorRequired", "Every change to a coupon records who made it.") : TextLength.Clip(by, ActorMaxLength);
}

/// <summary>The one home of issue keys: what makes two issues "the same" for a member.</summary>
public static class IssueKeys
{
    public static string Join(Guid benefitVersionId) => $"join:{benefitVersionId:N}";
    public static string Purchase(Guid benefitVersionId, string orderRef) => $"purchase:{benefitVersionId:N}:{orderRef}";
    public static string Monthly(Guid benefitVersionId, int year, int month) => $"monthly:{benefitVersionId:N}:{year:0000}-{month:00}";
    public static string Birthday(Guid benefitVersionId, int year) => $"birthday:{benefitVersionId:N}:{year:0000}";
    public static string Grant(Guid grantId) => $"grant:{grantId:N}";

    public static string Validated(string issueKey)
    {
        issueKey = issueKey?.Trim() ?? "";
        if (issueKey.Length is 0 or > Coupon.IssueKeyMaxLength)
            throw new DomainException("Coupon.IssueKeyInvalid", "An issue key is 1 to {Max} characters.", ("Max", Coupon.IssueKeyMaxLength));
        return issueKey;
    }
}
