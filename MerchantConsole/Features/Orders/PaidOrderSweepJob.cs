using MerchantConsole.Data;
using MerchantConsole.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

/// <summary>
/// The durable net under the in-process hand-off (<see cref="OrderPipeline"/>): every minute and at start, Paid orders
/// paid more than <see cref="OrderOptions.SweepAfter"/> ago (a process that died between recording the payment and
/// fulfilling it, a chunk that failed) are fulfilled through the same batch path, oldest first. Safe on any number of
/// nodes at once: only a Paid order is fulfilled and each save is conditional on the order's stamp. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class PaidOrderSweepJob(ProviderContextOptions contextOptions, OrderFulfilment fulfilment, TimeProvider clock,
    IOptions<OrderOptions> options, ILogger<PaidOrderSweepJob> logger)
{
    public const string RecurringJobId = "paid-order-sweep";
    private const string Actor = "paid-order-sweep";

    /// <summary>Returns how many orders it fulfilled.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var paidBefore = clock.GetUtcNow() - settings.SweepAfter;
        List<(Guid Id, Guid MerchantId)> due;
        await using (var across = contextOptions.CreateAcrossMerchants(Actor))
        {
            due = [.. (await across.Orders.AsNoTracking()
                    .Where(o => o.Status == OrderStatus.Paid && o.PaidAt <= paidBefore)
                    .OrderBy(o => o.PaidAt).Take(settings.SweepBatchSize)
                    .Select(o => new { o.Id, o.MerchantId }).ToListAsync(ct))
                .Select(o => (o.Id, o.MerchantId))];
        }
        var fulfilled = 0;
        foreach (var merchant in due.GroupBy(o => o.MerchantId))
            foreach (var chunk in merchant.Select(o => o.Id).Chunk(settings.FulfilBatchSize))
                fulfilled += (await fulfilment.FulfilBatchAsync(merchant.Key, chunk, ct)).Count;
        if (fulfilled > 0)
            logger.LogWarning("The sweep fulfilled {Count} paid orders nobody had picked up", fulfilled);
        return fulfilled;
    }
}
