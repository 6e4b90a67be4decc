namespace MerchantConsole.Domain.Common;

/// <summary>
/// A row of counters the services keep (coupons per member, redemptions per day): operational figures, not a change
/// anyone made, so the save interceptor writes no audit entry for it.
/// </summary>
public interface INotAudited;
