using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantConsole.Data;

/// <summary>
/// A property's column as the EF model maps it (name, type mapping, value conversion): what the statements written
/// outside EF's save (<see cref="DirectRowWrites"/>, the coupons' bulk writer) read from a row and bind, so their rows
/// are what <c>SaveChanges</c> would write.
/// </summary>
public sealed class MappedColumn
{
    private readonly Action<object, object?>? _setter;

    public MappedColumn(IProperty property, StoreObjectIdentifier table)
    {
        Property = property;
        Name = property.GetColumnName(table) ?? throw new InvalidOperationException($"{property.Name} has no column in {table.Name}.");
        Mapping = property.GetRelationalTypeMapping();
        IsKey = property.IsPrimaryKey();
        _setter = property.PropertyInfo is { } info ? info.SetValue : null;
    }

    public IProperty Property { get; }
    public string Name { get; }
    public RelationalTypeMapping Mapping { get; }
    public bool IsKey { get; }

    public object? Get(object row) => Property.GetGetter().GetClrValueUsingContainingEntity(row);

    public void Set(object row, object? value) =>
        (_setter ?? throw new InvalidOperationException($"{Property.Name} cannot be set."))(row, value);

    public object? Snapshot(object row) => Property.GetValueComparer().Snapshot(Get(row));

    public bool Same(object? before, object? after) => Property.GetValueComparer().Equals(before, after);

    /// <summary>The value as the database stores it (after the model's conversion), <see cref="DBNull"/> for null.</summary>
    public object ToProvider(object? value) =>
        (value is not null && Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;

    /// <summary>
    /// A parameter for this column added to the command, typed by the column's mapping (uuid, timestamptz…), so
    /// PostgreSQL prepares the statement with those types.
    /// </summary>
    public DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = Mapping.CreateParameter(command, name, null, Property.IsNullable);
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";
}
