using System.Text.Json;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

public enum CallbackOutcome
{
    /// <summary>Recorded; the order is paid and its fulfilment is queued (or was already done).</summary>
    Accepted,
    BadSignature,
    Malformed,
    UnknownOrder,
    /// <summary>Recorded in the ledger and refused: the amount or currency is not the order's.</summary>
    WrongAmount,
}

/// <summary>
/// The provider's callback: verified, recorded in the order's ledger (each one, duplicate or not), answered at once;
/// fulfilment is a Hangfire job keyed by the order. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderPayments(ProviderContextOptions contextOptions, PaymentSignatures signatures, IBackgroundJobClient jobs,
    TimeProvider clock, ILogger<OrderPayments> logger)
{
    private const string Actor = "payments";
    // Each round of concurrent callbacks of one order lets at least one save win, so this covers that many at once.
    private const int MaxAttempts = 32;

    public async Task<CallbackOutcome> ReceiveAsync(byte[] body, string? signature, CancellationToken ct = default)
    {
        var callback = Read(body);
        if (!signatures.Verify(body, signature))
        {
            logger.LogWarning("Payment callback refused: bad signature ({Length} bytes, payment {PaymentId})", body.Length, callback?.PaymentId);
            if (callback is not null)
                await RecordBadSignatureAsync(callback, ct);
            return CallbackOutcome.BadSignature;
        }
        if (callback is null)
            return CallbackOutcome.Malformed;
        var outcome = await RecordAsync(callback.MerchantId, callback.PaymentId, callback.OrderId,
            new Money(callback.AmountMinorUnits, callback.Currency), reconciled: false, ct);
        if (outcome == CallbackOutcome.WrongAmount)
            logger.LogWarning("Payment callback refused: payment {PaymentId} of order {OrderId} paid {Amount} {Currency}, not the order's price",
                callback.PaymentId, callback.OrderId, callback.AmountMinorUnits, callback.Currency);
        return outcome;
    }

    /// <summary>
    /// Records a payment of an order (a verified callback, or one the reconcile job found at the provider) in its ledger
    /// and queues fulfilment once it is Paid. Concurrent records of one order retry on a fresh read.
    /// </summary>
    public async Task<CallbackOutcome> RecordAsync(Guid merchantId, string paymentId, Guid orderId, Money amount, bool reconciled, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(merchantId, Actor);
            var order = await db.Orders.Include(o => o.Ledger).SingleOrDefaultAsync(o => o.PaymentId == paymentId, ct);
            if (order is null || order.Id != orderId)
                return CallbackOutcome.UnknownOrder;
            var toFulfil = order.RecordPayment(paymentId, amount, clock.GetUtcNow(), reconciled);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                continue; // another callback of the same order saved first (its stamp or ledger number): record this one on the fresh order
            }
            if (amount != order.Price)
                return CallbackOutcome.WrongAmount;
            if (toFulfil) // idempotent: a duplicate's job finds the order fulfilled
                jobs.Enqueue<OrderFulfilment>(f => f.FulfilAsync(order.MerchantId, order.Id, CancellationToken.None));
            return CallbackOutcome.Accepted;
        }
    }

    private static PaymentCallback? Read(byte[] body)
    {
        try
        {
            var callback = JsonSerializer.Deserialize<PaymentCallback>(body, JsonSerializerOptions.Web);
            if (callback is null || string.IsNullOrEmpty(callback.PaymentId) || callback.PaymentId.Length > Order.MaxPaymentIdLength
                || callback.MerchantId == Guid.Empty)
                return null;
            _ = new Money(callback.AmountMinorUnits, callback.Currency);
            return callback;
        }
        catch (Exception e) when (e is JsonException or DomainException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// A callback with a wrong signature naming one of our payments goes into that order's ledger (capped: the body is
    /// anyone's), so the order page shows someone tried; it changes nothing else.
    /// </summary>
    private async Task RecordBadSignatureAsync(PaymentCallback callback, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(callback.MerchantId, Actor);
            var order = await db.Orders.Include(o => o.Ledger).SingleOrDefaultAsync(o => o.PaymentId == callback.PaymentId, ct);
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
