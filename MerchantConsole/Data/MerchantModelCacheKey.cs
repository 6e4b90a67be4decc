using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace MerchantConsole.Data;

/// <summary>
/// Two models per provider: the merchant-scoped one, whose filter is a plain <c>MerchantId = @id</c>, and the
/// across-merchants one without it. A single filter of the form <c>@across OR MerchantId = @id</c> kept every
/// database from seeking on the (MerchantId, …) indexes: a coupon lookup by code scanned the whole table.
/// The model is part of EF's compiled-query cache key, so the two never share a query.
/// </summary>
public sealed class MerchantModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), context is MerchantDbContext { Scope.AcrossMerchants: true }, designTime);
}
