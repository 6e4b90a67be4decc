using System.Text.RegularExpressions;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>A way into a tier (入会渠道). Its type is fixed at creation; changed only through its plan.</summary>
public sealed partial class JoinChannel : IPlanPart
{
    public const int MaxStoreCodeLength = 64;
    public static readonly TextLimit StoreCodeLimit = TextLimit.Of(MaxStoreCodeLength);

    public Guid Id { get; private set; }
    public JoinChannelType Type { get; private set; }
    public bool Enabled { get; private set; }
    /// <summary>Spend in minor units of the plan currency; <see cref="JoinChannelType.SpendThreshold"/> only.</summary>
    public long? SpendThreshold { get; private set; }
    /// <summary>Upper-case code; <see cref="JoinChannelType.InviteCode"/> only.</summary>
    public string? InviteCode { get; private set; }
    /// <summary>The store whose QR code joins this tier; <see cref="JoinChannelType.StoreQr"/> only.</summary>
    public string? StoreCode { get; private set; }
    public MembershipProduct? Product { get; private set; }
    public int Revision { get; private set; }

    private JoinChannel() { }

    internal static JoinChannel Create(JoinChannelType type, int revision, long? spendThreshold, string? inviteCode, string? storeCode)
    {
        var channel = new JoinChannel { Id = Guid.NewGuid(), Type = type, Enabled = true, Revision = revision };
        channel.Configure(spendThreshold, inviteCode, storeCode);
        return channel;
    }

    // Missing settings are accepted so drafts can be saved half-done; the dry run reports them.
    // Settings of another channel type are refused because they would be silently ignored.
    internal void Configure(long? spendThreshold, string? inviteCode, string? storeCode)
    {
        inviteCode = string.IsNullOrWhiteSpace(inviteCode) ? null : inviteCode.Trim().ToUpperInvariant();
        storeCode = string.IsNullOrWhiteSpace(storeCode) ? null : storeCode.Trim();

        if (spendThreshold is not null && Type != JoinChannelType.SpendThreshold)
            throw new DomainException("Channel.SpendThresholdNotTaken", "A {Type} channel takes no spend threshold.", ("Type", Type));
        if (inviteCode is not null && Type != JoinChannelType.InviteCode)
            throw new DomainException("Channel.InviteCodeNotTaken", "A {Type} channel takes no invite code.", ("Type", Type));
        if (storeCode is not null && Type != JoinChannelType.StoreQr)
            throw new DomainException("Channel.StoreCodeNotTaken", "A {Type} channel takes no store code.", ("Type", Type));
        if (spendThreshold is < 0)
            throw new DomainException("Channel.SpendThresholdNegative", "A spend threshold cannot be negative.");
        if (inviteCode is not null && !InviteCodePattern().IsMatch(inviteCode))
            throw new DomainException("Channel.InviteCodeInvalid", "An invite code is 4–32 letters, digits or hyphens.");
        StoreCodeLimit.Enforce(storeCode, "StoreCode", "A store code");

        SpendThreshold = spendThreshold;
        InviteCode = inviteCode;
        StoreCode = storeCode;
    }

    internal void SetEnabled(bool enabled) => Enabled = enabled;

    internal void AttachProduct(MembershipProduct product)
    {
        if (Type != JoinChannelType.Purchase)
            throw new DomainException("Channel.OnlyPurchaseSells", "Only a Purchase channel sells a membership product.");
        if (Product is not null)
            throw new DomainException("Channel.AlreadyHasProduct", "This channel already has a product; a Purchase channel sells exactly one.");
        Product = product;
    }

    internal void DetachProduct() => Product = null;

    [GeneratedRegex("^[A-Z0-9-]{4,32}$")]
    private static partial Regex InviteCodePattern();
}
