using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Domain.Members;

public enum MembershipStatus
{
    Active,
    Expired,
    Cancelled,
}

/// <summary>How a customer came to join: it decides which kinds of join channel may be used.</summary>
public enum EnrolmentSource
{
    /// <summary>A merchant's staff enrolled the customer by hand (a Manual channel).</summary>
    Staff,
    /// <summary>The customer joined on the storefront: free sign-up, an invite code or a store's QR code.</summary>
    SelfService,
    /// <summary>An order for the channel's membership product was paid.</summary>
    Purchase,
    /// <summary>The customer's spend reached the channel's threshold.</summary>
    Qualification,
}

/// <summary>
/// A customer's membership of one plan (the seed's 用户/会员): its tier, how it joined, its card. One per customer
/// per plan. The card keeps the face it was issued with (<see cref="CardTemplateVersionId"/>) when the plan later
/// takes a new template version. Changes state only through its methods.
/// </summary>
public sealed class Membership : IMerchantOwned, IConcurrencyVersioned
{
    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid CustomerId { get; private set; }
    public Guid PlanId { get; private set; }
    public Guid TierId { get; private set; }
    public Guid JoinChannelId { get; private set; }
    public MembershipStatus Status { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
    /// <summary>The first instant the membership is no longer valid; null for a permanent one.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }
    /// <summary>Bare digits (<see cref="CardNumbers"/>); unique per merchant.</summary>
    public string CardNumber { get; private set; } = "";
    public Guid CardTemplateVersionId { get; private set; }
    /// <summary>The tier the member holds by joining and by spend, before any staff override (<see cref="TierOf"/>).</summary>
    public Guid EarnedTierId { get; private set; }
    /// <summary>What the member's fulfilled orders of this plan add up to, in the plan's minor units, as last recalculated.</summary>
    public long SpendMinorUnits { get; private set; }
    public TierOverrideKind? OverrideKind { get; private set; }
    public Guid? OverrideTierId { get; private set; }
    /// <summary>A temporary override's end: from this instant the member is back at the earned tier.</summary>
    public DateTimeOffset? OverrideUntil { get; private set; }
    public string? OverrideReason { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    private Membership() { }

    /// <summary>
    /// Joins <paramref name="customer"/> to a tier of an Active plan through one of the tier's channels. Refuses a plan
    /// that is not Active, a tier or channel that is not live in it, a disabled channel, and a channel of a kind the
    /// <paramref name="source"/> may not use (staff: Manual only). <paramref name="zone"/> is the merchant's: a
    /// membership lasting N days ends at the end of the N-th day after joining there.
    /// </summary>
    public static Membership Enrol(MembershipPlan plan, Guid tierId, Guid channelId, EnrolmentSource source, string? inviteCode,
        Customer customer, string cardNumber, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (customer.MerchantId != plan.MerchantId)
            throw new DomainException("Enrolment.CustomerOfAnotherMerchant", "The customer and the plan belong to different merchants.");
        if (plan.Status != PlanStatus.Active)
            throw new DomainException("Enrolment.PlanNotActive", "Members join only an Active plan; “{Plan}” is {Status}.",
                ("Plan", plan.Name), ("Status", plan.Status));
        if (plan.CardTemplateVersionId is not { } cardVersion)
            throw new DomainException("Enrolment.PlanHasNoCard", "“{Plan}” has no card template, so it cannot issue cards.", ("Plan", plan.Name));
        var tier = plan.Tiers.FirstOrDefault(t => t.Id == tierId);
        if (tier is null || plan.IsPendingRevision(tier))
            throw new DomainException("Enrolment.TierNotOfPlan", "That tier is not a live tier of “{Plan}”.", ("Plan", plan.Name));
        var channel = tier.JoinChannels.FirstOrDefault(c => c.Id == channelId);
        if (channel is null || plan.IsPendingRevision(channel))
            throw new DomainException("Enrolment.ChannelNotOfTier", "That join channel is not a live channel of the tier “{Tier}”.", ("Tier", tier.Name));
        if (!channel.Enabled)
            throw new DomainException("Enrolment.ChannelDisabled", "The {Type} channel of “{Tier}” is disabled.", ("Type", channel.Type), ("Tier", tier.Name));
        if (!Allows(source, channel.Type))
            throw source == EnrolmentSource.Staff
                ? new DomainException("Enrolment.StaffOnlyManual", "Staff enrol members only through a Manual channel, not a {Type} channel.", ("Type", channel.Type))
                : new DomainException("Enrolment.ChannelNotForSource", "A {Type} channel cannot be joined this way.", ("Type", channel.Type));
        if (channel.Type == JoinChannelType.InviteCode
            && !string.Equals(channel.InviteCode, inviteCode?.Trim().ToUpperInvariant(), StringComparison.Ordinal))
            throw new DomainException("Enrolment.InviteCodeWrong", "That invite code does not open this tier.");

        return new Membership
        {
            Id = Guid.CreateVersion7(now),
            MerchantId = plan.MerchantId,
            CustomerId = customer.Id,
            PlanId = plan.Id,
            TierId = tier.Id,
            EarnedTierId = tier.Id,
            JoinChannelId = channel.Id,
            Status = MembershipStatus.Active,
            JoinedAt = now,
            ExpiresAt = ExpiryOf(plan, tier, now, zone),
            CardNumber = CardNumbers.Normalise(cardNumber),
            CardTemplateVersionId = cardVersion,
            UpdatedAt = now,
        };
    }

    /// <summary>The kinds of join channel each way of joining may use.</summary>
    public static bool Allows(EnrolmentSource source, JoinChannelType type) => source switch
    {
        EnrolmentSource.Staff => type == JoinChannelType.Manual,
        EnrolmentSource.SelfService => type is JoinChannelType.FreeSignup or JoinChannelType.InviteCode or JoinChannelType.StoreQr,
        EnrolmentSource.Purchase => type == JoinChannelType.Purchase,
        EnrolmentSource.Qualification => type == JoinChannelType.SpendThreshold,
        _ => false,
    };

    /// <summary>
    /// When a membership joined at <paramref name="joinedAt"/> ends: the tier's days from joining if it sets them,
    /// else the plan's policy; null when permanent. A membership of N days is valid through the N-th local day
    /// after joining, so it ends at the next local midnight.
    /// </summary>
    public static DateTimeOffset? ExpiryOf(MembershipPlan plan, Tier tier, DateTimeOffset joinedAt, TimeZoneInfo zone)
    {
        var joinedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(joinedAt, zone).DateTime);
        if (tier.Validity == TierValidity.DaysFromJoin && tier.ValidityDays is { } tierDays)
            return StartOfDay(joinedOn.AddDays(tierDays + 1), zone);
        return plan.ValidityPolicy switch
        {
            ValidityPolicy.FixedDays when plan.ValidityDays is { } days => StartOfDay(joinedOn.AddDays(days + 1), zone),
            ValidityPolicy.UntilDate when plan.ValidUntil is { } until => StartOfDay(until.AddDays(1), zone),
            _ => null,
        };
    }

    /// <summary>The outbox message of this membership's joining (coupons "on join" are issued from it).</summary>
    public MemberJoined JoinedMessage() => new(Id, CustomerId, PlanId, TierId, JoinedAt);

    public bool IsValidAt(DateTimeOffset instant) => Status == MembershipStatus.Active && (ExpiresAt is null || instant < ExpiresAt);

    /// <summary>Active → Expired once its end has passed; an Expired membership accepts it again without change.</summary>
    public void Expire(DateTimeOffset now)
    {
        if (Status == MembershipStatus.Expired)
            return;
        if (Status != MembershipStatus.Active)
            throw new DomainException("Membership.CannotExpire", "A {Status} membership cannot expire.", ("Status", Status));
        if (ExpiresAt is not { } end || now < end)
            throw new DomainException("Membership.NotYetExpired", "This membership is valid until {ExpiresAt}.", ("ExpiresAt", ExpiresAt));
        Status = MembershipStatus.Expired;
        UpdatedAt = now;
    }

    /// <summary>Ends the membership at once (the customer asked, or staff removed it). Final.</summary>
    public void Cancel(DateTimeOffset now)
    {
        if (Status == MembershipStatus.Cancelled)
            return;
        Status = MembershipStatus.Cancelled;
        UpdatedAt = now;
    }

    /// <summary>
    /// The expiry a renewal through <paramref name="tier"/> gives: the tier's or plan's duration counted from the later of
    /// now and the current end (a lapsed or cancelled membership starts again from now); null when the duration is permanent.
    /// </summary>
    public DateTimeOffset? RenewedExpiry(MembershipPlan plan, Tier tier, TimeZoneInfo zone, DateTimeOffset now)
    {
        // The current end is the start of the day after the last valid day, so counting starts on that last day.
        var from = Status == MembershipStatus.Active && ExpiresAt is { } end && end > now ? end.AddTicks(-1) : now;
        return ExpiryOf(plan, tier, from, zone);
    }

    /// <summary>A paid renewal: Active again until <paramref name="expiresAt"/> (null: permanent).</summary>
    public void Renew(DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        Status = MembershipStatus.Active;
        ExpiresAt = expiresAt;
        UpdatedAt = now;
    }

    /// <summary>A refunded renewal gives back the time it bought; the membership lapses if that leaves it past its end.</summary>
    public void TakeBackRenewal(TimeSpan extension, DateTimeOffset now)
    {
        if (ExpiresAt is not { } end)
            return;
        ExpiresAt = end - extension;
        if (Status == MembershipStatus.Active && ExpiresAt <= now)
            Status = MembershipStatus.Expired;
        UpdatedAt = now;
    }

    /// <summary>
    /// The tier this membership should hold at <paramref name="now"/>: a pin's tier; the higher of a floor and the earned
    /// tier; a temporary override's tier until its end, then the earned tier; with no override, the earned tier.
    /// </summary>
    public Guid TierOf(TierLadder ladder, DateTimeOffset now) => OverrideKind switch
    {
        TierOverrideKind.Pin => OverrideTierId!.Value,
        TierOverrideKind.Floor => ladder.Higher(EarnedTierId, OverrideTierId!.Value),
        TierOverrideKind.Temporary when now < OverrideUntil => OverrideTierId!.Value,
        _ => EarnedTierId,
    };

    /// <summary>
    /// A staff override of the tier, always with a reason; replaces any earlier override. Returns the history row
    /// (written even when the tier stays the same, e.g. a floor below the earned tier).
    /// </summary>
    public TierChange OverrideTier(TierLadder ladder, TierOverrideKind kind, Guid tierId, DateTimeOffset? until, string? reason, string by, DateTimeOffset now)
    {
        if (Status != MembershipStatus.Active)
            throw new DomainException("Membership.OverrideNotActive", "Only an active membership's tier can be changed; this one is {Status}.", ("Status", Status));
        if (ladder.PlanId != PlanId || !ladder.Contains(tierId))
            throw new DomainException("Membership.OverrideTierNotOfPlan", "That tier is not a live tier of this membership's plan.");
        var note = CheckReason(reason);
        if (kind == TierOverrideKind.Temporary)
        {
            if (until is not { } end)
                throw new DomainException("Membership.OverrideUntilRequired", "A temporary tier needs the date it ends.");
            if (end <= now)
                throw new DomainException("Membership.OverrideUntilPast", "A temporary tier must end in the future, not {Until}.", ("Until", end));
        }
        else
            until = null;
        var from = TierId;
        OverrideKind = kind;
        OverrideTierId = tierId;
        OverrideUntil = until;
        OverrideReason = note;
        TierId = TierOf(ladder, now);
        UpdatedAt = now;
        return TierChange.Of(this, from, TierChangeReason.OverrideSet, kind, tierId, until, note, by, now);
    }

    /// <summary>Removes the staff override (with a reason): the member goes back to the earned tier.</summary>
    public TierChange ClearOverride(TierLadder ladder, string? reason, string by, DateTimeOffset now)
    {
        if (OverrideKind is null)
            throw new DomainException("Membership.NoOverride", "This membership's tier has no override to remove.");
        var note = CheckReason(reason);
        var (from, kind, tier, until) = (TierId, OverrideKind, OverrideTierId, OverrideUntil);
        ClearOverrideFields();
        TierId = TierOf(ladder, now);
        UpdatedAt = now;
        return TierChange.Of(this, from, TierChangeReason.OverrideCleared, kind, tier, until, note, by, now);
    }

    /// <summary>
    /// Applies the tier rules with the member's current spend: spend can raise the earned tier (never lower it: a refund
    /// does not demote), a temporary override past its end lapses, and the override, if any, then decides. Returns the
    /// history row when the tier or the override changed, else null (so running it again changes nothing).
    /// </summary>
    public TierChange? Recalculate(TierLadder ladder, long spendMinorUnits, string by, DateTimeOffset now)
    {
        if (ladder.PlanId != PlanId)
            throw new ArgumentException("The ladder is of another plan.", nameof(ladder));
        if (Status != MembershipStatus.Active)
            return null;
        var from = TierId;
        SpendMinorUnits = spendMinorUnits;
        EarnedTierId = ladder.EarnedBySpend(EarnedTierId, spendMinorUnits);
        if (OverrideKind == TierOverrideKind.Temporary && now >= OverrideUntil)
        {
            var (kind, tier, until) = (OverrideKind, OverrideTierId, OverrideUntil);
            ClearOverrideFields();
            TierId = TierOf(ladder, now);
            UpdatedAt = now;
            return TierChange.Of(this, from, TierChangeReason.OverrideLapsed, kind, tier, until, null, by, now);
        }
        var target = TierOf(ladder, now);
        if (target == TierId)
            return null;
        TierId = target;
        UpdatedAt = now;
        return TierChange.Of(this, from, TierChangeReason.Recalculated, null, null, null, null, by, now);
    }

    private void ClearOverrideFields()
    {
        OverrideKind = null;
        OverrideTierId = null;
        OverrideUntil = null;
        OverrideReason = null;
    }

    private static string CheckReason(string? reason)
    {
        var note = (reason ?? "").Trim();
        if (note.Length == 0)
            throw new DomainException("Membership.OverrideReasonRequired", "Say why the tier is changed: a reason is required.");
        TierChange.NoteLimit.Enforce(note, "OverrideReason", "A reason");
        return note;
    }

    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // A zone that springs forward at midnight has no 00:00 that day; the day starts at the first valid minute.
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>
/// A customer joined a plan; written in the same save as the membership. Handlers act on the membership (coupons
/// issued "on join"); the message itself is the record of the fact.
/// </summary>
public sealed record MemberJoined(Guid MembershipId, Guid CustomerId, Guid PlanId, Guid TierId, DateTimeOffset JoinedAt);
