using System.Globalization;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using Microsoft.Extensions.Localization;

namespace MerchantConsole.Localization;

/// <summary>Marker for AuditStrings.resx / AuditStrings.zh-CN.resx: entity names, field labels per entity type, actions and system actors.</summary>
public sealed class AuditStrings;

/// <summary>
/// Words audit entries as sentences in the UI language: "Name: Gold → Platinum", "Added tier “Silver”", money in its
/// currency, instants in the merchant's time zone, enum values by their one name (<see cref="Vocabulary"/>).
/// Fields without a label (ids, stamps, bookkeeping columns) are left out: they mean nothing to the reader.
/// </summary>
public sealed class AuditText(IStringLocalizer<AuditStrings> strings, Vocabulary vocabulary)
{
    /// <summary>One sentence for one audited row, or null when nothing in it is worth showing.</summary>
    public string? Describe(AuditEntry entry, Func<DateTimeOffset, DateTimeOffset> toLocal)
    {
        var entity = Label($"Entity.{entry.EntityType}") ?? entry.EntityType;
        var recorded = entry.ReadChanges();
        var changes = recorded
            .Select(c => (Change: c, Label: Label($"Field.{entry.EntityType}.{c.Field}")))
            .Where(c => c.Label is not null)
            .ToList();
        // What the row is called: its name, or its number for a numbered part (a template version).
        var name = recorded.FirstOrDefault(c => c.Field is "Name" or "Number") is { } n ? n.New ?? n.Old : null;
        switch (entry.Action)
        {
            case "Added":
                return name is null ? strings["Action.Added", entity].Value : strings["Action.AddedNamed", entity, name].Value;
            case "Deleted":
                return name is null ? strings["Action.Deleted", entity].Value : strings["Action.DeletedNamed", entity, name].Value;
            case "Modified":
                if (changes.Count == 0)
                    return Quiet(entry.EntityType, recorded);
                var list = string.Join(strings["Separator"].Value, changes.Select(c =>
                    strings["Change", c.Label!, Value(c.Change, c.Change.Old, toLocal), Value(c.Change, c.Change.New, toLocal)].Value));
                return entry.EntityType == entry.AggregateType ? list : strings["ChangeOf", entity, list].Value;
            default:
                return Label($"Action.{entry.Action}") ?? entry.Action;
        }
    }

    /// <summary>
    /// A row whose only change is a bookkeeping field worded as what happened ("Ledger line 4 recorded" for an order's
    /// repeated payment notice), from a <c>Quiet.{Entity}.{Field}</c> string given the new value; null when none fits.
    /// Such fields are left out when the row has labelled changes: beside "Status: Pending → Paid" they add nothing.
    /// </summary>
    private string? Quiet(string entityType, IReadOnlyList<AuditChange> recorded) =>
        recorded
            .Select(c => strings[$"Quiet.{entityType}.{c.Field}", c.New ?? ""])
            .FirstOrDefault(text => !text.ResourceNotFound)?.Value;

    /// <summary>"System · activation" for background work, the person's name otherwise.</summary>
    public string Actor(string userName) =>
        SystemActors.AreaOf(userName) is { } area
            ? strings["System", Label($"System.{area}") ?? area].Value
            : userName;

    private string Value(AuditChange change, string? raw, Func<DateTimeOffset, DateTimeOffset> toLocal)
    {
        if (raw is null)
            return strings["Empty"].Value;
        var kind = change.Kind ?? "";
        var culture = CultureInfo.CurrentCulture;
        if (kind.StartsWith("Money:", StringComparison.Ordinal) && long.TryParse(raw, CultureInfo.InvariantCulture, out var minor))
            return MoneyFormat.Format(new Money(minor, kind["Money:".Length..]), culture);
        if (kind.StartsWith("Enum:", StringComparison.Ordinal))
            return vocabulary.Name(kind["Enum:".Length..], raw);
        return kind switch
        {
            "Instant" when DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                => toLocal(at).ToString("yyyy-MM-dd HH:mm", culture),
            "Date" when DateOnly.TryParse(raw, CultureInfo.InvariantCulture, out var date) => date.ToString("d", culture),
            "Bool" => strings[bool.TryParse(raw, out var yes) && yes ? "Yes" : "No"].Value,
            "Reference" or "Document" => strings["Changed"].Value,
            _ => raw,
        };
    }

    private string? Label(string key)
    {
        var text = strings[key];
        return text.ResourceNotFound ? null : text.Value;
    }
}
