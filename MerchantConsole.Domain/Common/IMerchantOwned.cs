namespace MerchantConsole.Domain.Common;

/// <summary>
/// A row that belongs to one merchant. The data layer scopes reads to the signed-in merchant and
/// stamps <see cref="MerchantId"/> on insert, so features never filter by hand.
/// </summary>
public interface IMerchantOwned
{
    Guid MerchantId { get; }
}
