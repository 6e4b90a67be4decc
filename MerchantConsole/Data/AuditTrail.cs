using MerchantConsole.Domain.Common;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MerchantConsole.Data;

/// <summary>
/// How one row's change becomes an <see cref="AuditEntry"/>: the same for a tracked save (<see cref="SaveStampingInterceptor"/>)
/// and for rows written without tracking (<see cref="DirectRowWrites"/>), so a history reads them alike.
/// </summary>
internal static class AuditTrail
{
    /// <summary>The values of a row's properties, by name (null for a property the row does not have).</summary>
    public delegate object? ValueOf(string propertyName);

    public static AuditEntry Entry(MerchantScope scope, Guid merchantId, string entityType, string entityId, string aggregateType, string aggregateId,
        string action, IEnumerable<AuditChange> changes, DateTimeOffset now, Guid operationId) => new()
    {
        MerchantId = merchantId,
        At = now,
        UserId = scope.UserId,
        UserName = scope.UserName ?? SystemActors.Jobs,
        EntityType = entityType,
        EntityId = entityId,
        AggregateType = aggregateType,
        AggregateId = aggregateId,
        Action = action,
        OperationId = operationId,
        Changes = AuditEntry.WriteChanges(changes),
    };

    /// <summary>
    /// How the history should show a value. Amounts are kept in minor units: a <c>…MinorUnits</c> property, a spend
    /// threshold, or a tier threshold under the cumulative-spend rule, in the row's (or its aggregate's) currency.
    /// </summary>
    public static string? KindOf(IProperty property, ValueOf row, ValueOf root)
    {
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        var name = property.Name;
        var isMoney = name.EndsWith("MinorUnits", StringComparison.Ordinal) || name == "SpendThreshold"
            || (name == "Threshold" && Equals(row("UpgradeRule")?.ToString(), "CumulativeSpend"));
        var currency = isMoney ? row("Currency") as string ?? root("Currency") as string : null;
        if (currency is not null) return "Money:" + currency;
        if (type.IsEnum) return "Enum:" + type.Name;
        if (type == typeof(DateTimeOffset)) return "Instant";
        if (type == typeof(DateOnly)) return "Date";
        if (type == typeof(bool)) return "Bool";
        // A list of ids (a benefit's tiers) reads as "changed", like a single id: the ids mean nothing to a reader.
        if (type == typeof(Guid) || name.EndsWith("IdList", StringComparison.Ordinal)) return "Reference";
        if (property.GetValueConverter() is not null && !type.IsPrimitive && type != typeof(string)) return "Document";
        return null;
    }

    /// <summary>A row's key as the audit shows it: its key values, comma-separated.</summary>
    public static string KeyOf(IEntityType type, ValueOf row) =>
        string.Join(",", type.FindPrimaryKey()!.Properties.Select(p => Format(row(p.Name))));

    public static string? Format(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("O"),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A modification that changed nothing a history shows is not written.</summary>
    public static bool Worth(AuditEntry entry) => entry.Changes != "[]" || entry.Action != "Modified";
}
