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
        if (!signatures.Verify(body, signature))
        {
            logger.LogWarning("Payment callback refused: bad signature ({Length} bytes)", body.Length);
            return CallbackOutcome.BadSignature;
        }
        PaymentCallback? callback;
        Money amount;
        try
        {
            callback = JsonSerializer.Deserialize<PaymentCallback>(body, JsonSerializerOptions.Web);
            if (callback is null || string.IsNullOrEmpty(callback.PaymentId) || callback.PaymentId.Length > Order.MaxPaymentIdLength)
                return CallbackOutcome.Malformed;
            amount = new Money(callback.AmountMinorUnits, callback.Currency);
        }
        catch (Exception e) when (e is JsonException or DomainException or ArgumentException)
        {
            return CallbackOutcome.Malformed;
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = contextOptions.CreateForMerchant(callback.MerchantId, Actor);
            var order = await db.Orders.Include(o => o.Ledger).SingleOrDefaultAsync(o => o.PaymentId == callback.PaymentId, ct);
            if (order is null || order.Id != callback.OrderId)
                return CallbackOutcome.UnknownOrder;
            var toFulfil = order.RecordPayment(callback.PaymentId, amount, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                continue; // another callback of the same order saved first (its stamp or ledger number): record this one on the fresh order
            }
            if (order.Ledger[^1].Kind == OrderLedgerKind.PaymentRefused)
                return CallbackOutcome.WrongAmount;
            if (toFulfil) // idempotent: a duplicate's job finds the order fulfilled
                jobs.Enqueue<OrderFulfilment>(f => f.FulfilAsync(order.MerchantId, order.Id, CancellationToken.None));
            return CallbackOutcome.Accepted;
        }
    }
}
