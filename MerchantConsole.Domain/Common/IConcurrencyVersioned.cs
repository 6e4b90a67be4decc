namespace MerchantConsole.Domain.Common;

/// <summary>
/// An editable aggregate. The data layer renews <see cref="ConcurrencyStamp"/> on every save and
/// checks it on update, so two staff saving the same record cannot silently overwrite each other
/// (an app-managed token behaves the same on SQLite and SQL Server).
/// </summary>
public interface IConcurrencyVersioned
{
    Guid ConcurrencyStamp { get; }
}
