using MerchantConsole.Domain.Common;

namespace MerchantConsole.Data;

// State that a single process once kept in memory and every app node must now share: the storefront's sign-in codes
// and the sandbox's text messages and payments. See ARCHITECTURE.md, "State every node shares".

/// <summary>
/// The one outstanding sign-in code of a phone at a merchant (one row per merchant and phone, kept between codes), and
/// how many codes the phone was sent in the current window. Every change is a conditional update on this row, so two
/// nodes verifying or issuing at once settle it in the database. Only a hash of the code is kept: a six-digit code's hash
/// only keeps it out of plain sight; its short life and the attempt limit are what protect it.
/// </summary>
public sealed class SignInCode : IMerchantOwned, INotAudited
{
    public Guid MerchantId { get; set; }
    public string Phone { get; set; } = "";
    /// <summary>Renewed with every code, so a check of an older code never uses up a newer one.</summary>
    public Guid CodeId { get; set; }
    /// <summary>SHA-256 of the code id and the code; null once the code is used, expired or voided.</summary>
    public byte[]? CodeHash { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Checks of the current code so far, right or wrong; a check past the limit is refused before comparing.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public int SentInWindow { get; set; }
}

/// <summary>
/// A text message the sandbox SMS sender "sent". It holds the code itself, not a hash: reading the code to a tester is the
/// support page's whole purpose. A real SMS gateway stores nothing here.
/// </summary>
public sealed class SandboxSmsMessage : IMerchantOwned, INotAudited
{
    public Guid Id { get; set; }
    public Guid MerchantId { get; set; }
    public string MerchantCode { get; set; } = "";
    public string MerchantName { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Code { get; set; } = "";
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// The sandbox payment provider's own record of a payment, written the first time the payment changes (told how to
/// deliver, or paid). Not merchant-owned: a provider knows payments by their id, and its pay page has no merchant.
/// </summary>
public sealed class SandboxPaymentRecord : INotAudited
{
    public const int MaxDeliveryLength = 20;

    public string PaymentId { get; set; } = "";
    public Guid MerchantId { get; set; }
    public Guid OrderId { get; set; }
    public long AmountMinorUnits { get; set; }
    public string Currency { get; set; } = "";
    /// <summary>How the callback is delivered when paid (the sandbox's delivery mode, by name).</summary>
    public string Delivery { get; set; } = "";
    public bool Paid { get; set; }
    public long? PaidMinorUnits { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
