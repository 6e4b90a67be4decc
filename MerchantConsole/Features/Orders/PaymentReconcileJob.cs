using MerchantConsole.Data;
using MerchantConsole.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

/// <summary>
/// For callbacks that never come: asks the provider about Pending orders whose payment is older than
/// <see cref="OrderOptions.ReconcileAfter"/>. A payment found paid is recorded (ledger PaymentReconciled, or PaymentRefused
/// for a wrong amount) through the callback's own path, which queues fulfilment. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class PaymentReconcileJob(ProviderContextOptions contextOptions, IPaymentProvider provider, OrderPayments payments,
    TimeProvider clock, IOptions<OrderOptions> options, ILogger<PaymentReconcileJob> logger)
{
    public const string RecurringJobId = "payment-reconcile";
    private const string Actor = "payment-reconcile";

    /// <summary>Returns how many orders it found paid.</summary>
    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var before = now - settings.ReconcileAfter;
        var expiredSince = now - TimeSpan.FromDays(1);
        List<(Guid Id, Guid MerchantId, string PaymentId)> due;
        await using (var across = contextOptions.CreateAcrossMerchants(Actor))
        {
            // Orders expired within a day too: a payment made just before expiry is still the customer's money.
            due = [.. (await across.Orders.AsNoTracking()
                .Where(o => (o.Status == OrderStatus.Pending || (o.Status == OrderStatus.Expired && o.ExpiresAt > expiredSince))
                    && o.PaymentId != null && o.CreatedAt <= before)
                .OrderBy(o => o.CreatedAt).Take(settings.ReconcileBatchSize)
                .Select(o => new { o.Id, o.MerchantId, o.PaymentId }).ToListAsync(ct))
                .Select(o => (o.Id, o.MerchantId, o.PaymentId!))];
        }
        var found = 0;
        foreach (var (id, merchantId, paymentId) in due)
        {
            var status = await provider.QueryPaymentAsync(paymentId, ct);
            if (status is not { State: PaymentState.Paid, Amount: { } amount })
                continue;
            var outcome = await payments.RecordAsync(merchantId, paymentId, id, amount, reconciled: true, ct);
            if (outcome == CallbackOutcome.WrongAmount)
                logger.LogWarning("Reconciling order {OrderId}: the provider took {Amount}, not the order's price", id, amount);
            found += outcome == CallbackOutcome.Accepted ? 1 : 0;
        }
        return found;
    }
}
