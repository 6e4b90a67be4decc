using System.Text.Json;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Data;

/// <summary>One change to a merchant-owned row or a part of one, written in the same save as the change.</summary>
public sealed class AuditEntry : IMerchantOwned
{
    public long Id { get; set; }
    public Guid MerchantId { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";
    /// <summary>The merchant-owned aggregate the row belongs to (the row itself for a root), so a record's page shows its children's changes too.</summary>
    public string AggregateType { get; set; } = "";
    public string AggregateId { get; set; } = "";
    /// <summary>Added, Modified or Deleted; support actions use their own verbs.</summary>
    public string Action { get; set; } = "";
    /// <summary>The save this change was part of: every entry one SaveChanges writes shares it, so a history shows one save as one entry.</summary>
    public Guid OperationId { get; set; }
    /// <summary>JSON array of {Field, Old, New}; written and read only through the methods below.</summary>
    public string Changes { get; set; } = "[]";

    public static string WriteChanges(IEnumerable<AuditChange> changes) => JsonSerializer.Serialize(changes);

    /// <summary>The recorded changes; an unreadable row reads as none rather than breaking a history page.</summary>
    public IReadOnlyList<AuditChange> ReadChanges()
    {
        try
        {
            return JsonSerializer.Deserialize<List<AuditChange>>(Changes) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <param name="Kind">How to show the values: <c>Money:CNY</c>, <c>Enum:PlanStatus</c>, <c>Instant</c>, <c>Date</c>, <c>Bool</c>,
/// <c>Reference</c> (an id) or <c>Document</c> (a JSON blob); null for plain text and numbers.</param>
public sealed record AuditChange(string Field, string? Old, string? New, string? Kind = null);

/// <summary>
/// Who background work is, in the audit trail: <c>system:&lt;area&gt;</c>. The history shows it as "System · area",
/// translated. Background code passes one of these as the actor of its context.
/// </summary>
public static class SystemActors
{
    public const string Prefix = "system:";
    public const string Activation = "system:activation";
    public const string Outbox = "system:outbox";
    public const string Jobs = "system:jobs";
    public const string Demo = "system:demo";

    /// <summary>The area of a system actor (<c>activation</c>, <c>outbox</c>…), or null for a person. Older rows named background work without the prefix.</summary>
    public static string? AreaOf(string userName) => userName switch
    {
        "system" => "jobs",
        "activation" or "activation-sweeper" => "activation",
        "demo-seed" => "demo",
        // The order and storefront paths name themselves without the prefix.
        "payments" or "payment-reconcile" => "payments",
        "fulfilment" or "paid-order-sweep" => "fulfilment",
        "order-expiry" => "orders",
        "storefront" or "storefront-sign-in" or "sign-in-code-sweep" or "sandbox-sms" or "hosted" => "storefront",
        _ when userName.StartsWith("handler:", StringComparison.Ordinal) => "outbox",
        _ when userName.StartsWith(Prefix, StringComparison.Ordinal) => userName[Prefix.Length..].Split(':')[0],
        _ => null,
    };
}
