using MerchantConsole.Data;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

/// <summary>
/// Expires unpaid orders past their time and gives their stock back, each order and its stock in one transaction
/// (the order's concurrency stamp keeps a payment arriving at that moment and the expiry from both winning).
/// </summary>
public sealed class OrderExpiryJob(ProviderContextOptions contextOptions, TimeProvider clock, IOptions<OrderOptions> options)
{
    public const string RecurringJobId = "order-expiry";
    private const string Actor = "order-expiry";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, Guid MerchantId)> due;
        await using (var across = contextOptions.CreateAcrossMerchants(Actor))
        {
            due = (await across.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Pending && o.ExpiresAt <= now)
                .OrderBy(o => o.ExpiresAt).Take(options.Value.ExpiryBatchSize)
                .Select(o => new { o.Id, o.MerchantId }).ToListAsync(ct)).Select(o => (o.Id, o.MerchantId)).ToList();
        }
        var expired = 0;
        foreach (var (id, merchantId) in due)
        {
            await using var db = contextOptions.CreateForMerchant(merchantId, Actor);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var order = await db.Orders.Include(o => o.Ledger).SingleAsync(o => o.Id == id, ct);
            if (order.Expire(now))
                await db.Set<MembershipProduct>().Where(p => p.Id == order.ProductId && p.Stock != null)
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.Stock, p => p.Stock + 1), ct);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                expired += order.Status == OrderStatus.Expired ? 1 : 0;
            }
            catch (DbUpdateException)
            {
                // Paid at this moment (its stamp or ledger number): the payment won, the stock stays taken (rolled back with this transaction).
            }
        }
        return expired;
    }
}
