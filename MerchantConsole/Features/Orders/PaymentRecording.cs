using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

/// <summary>A payment to record in its order's ledger: a verified callback, or one the reconcile job found at the provider.</summary>
public sealed record PaymentNotice(Guid MerchantId, string PaymentId, Guid OrderId, Money Amount, bool Reconciled = false);

/// <summary>What recording one notice came to, and the order it left Paid (to hand to fulfilment), if any.</summary>
public sealed record PaymentRecorded(CallbackOutcome Outcome, Guid? PaidOrderId);

/// <summary>
/// Records payments of one merchant in one transaction: the orders are loaded by payment id in one query (without their
/// ledgers: a line's number comes from the order's <see cref="Order.LedgerLength"/>; only refused lines, which the domain
/// counts, are read), each notice is applied in arrival order (a duplicate is recorded and changes nothing), the changed
/// orders and new ledger lines are written as direct rows (<see cref="DirectRowWrites"/>: conditional on each order's
/// stamp, audited as a save would be), one commit. The group-commit loop (<see cref="OrderPipeline"/>) calls it with whatever callbacks arrived meanwhile.
/// See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class PaymentRecording(ProviderContextOptions contextOptions, TimeProvider clock, ILogger<PaymentRecording> logger)
{
    private const string Actor = "payments";
    // Each retry follows a save that lost to another writer of one of the orders (another node; a fulfilment elsewhere).
    private const int MaxAttempts = 32;

    public async Task<IReadOnlyList<PaymentRecorded>> RecordAsync(Guid merchantId, IReadOnlyList<PaymentNotice> notices, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(merchantId, Actor);
            // On SQLite this is BEGIN IMMEDIATE: the orders are read under the write lock, so nothing changes them before the save.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var paymentIds = notices.Select(n => n.PaymentId).Distinct().ToList();
            await OrderRowLocks.LockByPaymentAsync(db, paymentIds, ct);
            var orders = await db.Orders.AsNoTracking()
                .Include(o => o.Ledger.Where(e => e.Kind == OrderLedgerKind.PaymentRefused || e.Kind == OrderLedgerKind.CallbackRefused))
                .Where(o => o.PaymentId != null && paymentIds.Contains(o.PaymentId))
                .ToDictionaryAsync(o => o.PaymentId!, StringComparer.Ordinal, ct);
            // An order Paid before this batch was handed to fulfilment by whoever recorded its payment (or the sweep
            // finds it): a duplicate callback, often on another node, does not hand it over again, so two nodes' chunks
            // do not both take it and wait for each other's membership insert.
            var paidBefore = orders.Values.Where(o => o.Status == OrderStatus.Paid).Select(o => o.Id).ToHashSet();
            var now = clock.GetUtcNow();
            var writes = new DirectRowWrites(db, now);
            var before = orders.Values.ToDictionary(o => o, o => (Row: writes.Before(o), o.LedgerLength));
            var outcomes = new List<CallbackOutcome>(notices.Count);
            foreach (var notice in notices)
            {
                if (!orders.TryGetValue(notice.PaymentId, out var order) || order.Id != notice.OrderId)
                {
                    outcomes.Add(CallbackOutcome.UnknownOrder);
                    continue;
                }
                order.RecordPayment(notice.PaymentId, notice.Amount, now, notice.Reconciled);
                outcomes.Add(notice.Amount == order.Price ? CallbackOutcome.Accepted : CallbackOutcome.WrongAmount);
            }
            // In key order, so two nodes' batches that share orders lock them in the same order and cannot deadlock.
            foreach (var (order, (row, ledgerLength)) in before.OrderBy(b => b.Key.Id))
            {
                writes.Modify(order, row);
                foreach (var line in order.Ledger.Where(l => l.Sequence > ledgerLength))
                    writes.Add(line);
            }
            try
            {
                await writes.SaveAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts)
            {
                // Another writer changed one of the orders first: record the whole batch again on fresh reads.
                AppTelemetry.CountLostRace("record");
                logger.LogInformation("A recording of {Count} payments lost a race (attempt {Attempt}): {Reason}", notices.Count, attempt, e.GetBaseException().Message);
                continue;
            }
            return [.. notices.Select((notice, i) => new PaymentRecorded(outcomes[i],
                outcomes[i] == CallbackOutcome.Accepted && orders[notice.PaymentId] is { Status: OrderStatus.Paid } paid && !paidBefore.Contains(paid.Id)
                    ? paid.Id : null))];
        }
    }

    /// <summary>
    /// A callback with a wrong signature naming one of our payments goes into that order's ledger (capped: the body is
    /// anyone's), so the order page shows someone tried; it changes nothing else.
    /// </summary>
    public async Task RecordBadSignatureAsync(PaymentCallback callback, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(callback.MerchantId, Actor);
            var order = await db.Orders.Include(o => o.Ledger.Where(e => e.Kind == OrderLedgerKind.CallbackRefused))
                .SingleOrDefaultAsync(o => o.PaymentId == callback.PaymentId, ct);
            if (order is null || order.Id != callback.OrderId || !order.RecordRefusedCallback("bad signature", clock.GetUtcNow()))
                return;
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException)
            {
                // Another callback of the order saved first; record this one on a fresh read.
            }
        }
    }
}
