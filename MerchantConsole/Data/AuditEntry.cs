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

public sealed record AuditChange(string Field, string? Old, string? New);
