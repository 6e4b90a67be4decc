using System.Text.Json;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Orders;

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
/// The provider's callback: its signature verified without touching the database, then recorded in the order's
/// ledger (each one, duplicate or not) by the group-commit loop (<see cref="OrderPipeline"/>), which answers once the
/// record is committed and hands a Paid order to fulfilment. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderPayments(PaymentSignatures signatures, OrderPipeline pipeline, PaymentRecording recording, ILogger<OrderPayments> logger)
{
    public async Task<CallbackOutcome> ReceiveAsync(byte[] body, string? signature, CancellationToken ct = default)
    {
        var (outcome, callback) = await VerifyAsync(body, signature, ct);
        if (callback is null)
            return outcome;
        return Logged(callback, await pipeline.RecordAsync(Notice(callback), ct));
    }

    /// <summary>
    /// The same as <see cref="ReceiveAsync"/>, recorded at once on this instance's clock and not handed to fulfilment: for
    /// the demo seed, which runs before the pipeline starts and fulfils each order itself on a clock moved back in time.
    /// </summary>
    public async Task<CallbackOutcome> ReceiveNowAsync(byte[] body, string? signature, CancellationToken ct = default)
    {
        var (outcome, callback) = await VerifyAsync(body, signature, ct);
        if (callback is null)
            return outcome;
        return Logged(callback, (await recording.RecordAsync(callback.MerchantId, [Notice(callback)], ct))[0].Outcome);
    }

    /// <summary>
    /// Records a payment of an order (one the reconcile job found at the provider) through the same group commit as the
    /// callbacks; a Paid order is handed to fulfilment.
    /// </summary>
    public Task<CallbackOutcome> RecordAsync(Guid merchantId, string paymentId, Guid orderId, Money amount, bool reconciled, CancellationToken ct) =>
        pipeline.RecordAsync(new PaymentNotice(merchantId, paymentId, orderId, amount, reconciled), ct);

    private async Task<(CallbackOutcome Outcome, PaymentCallback? Verified)> VerifyAsync(byte[] body, string? signature, CancellationToken ct)
    {
        var callback = Read(body);
        if (!signatures.Verify(body, signature))
        {
            logger.LogWarning("Payment callback refused: bad signature ({Length} bytes, payment {PaymentId})", body.Length, callback?.PaymentId);
            if (callback is not null)
                await recording.RecordBadSignatureAsync(callback, ct);
            return (CallbackOutcome.BadSignature, null);
        }
        return callback is null ? (CallbackOutcome.Malformed, null) : (CallbackOutcome.Accepted, callback);
    }

    private static PaymentNotice Notice(PaymentCallback callback) =>
        new(callback.MerchantId, callback.PaymentId, callback.OrderId, new Money(callback.AmountMinorUnits, callback.Currency));

    private CallbackOutcome Logged(PaymentCallback callback, CallbackOutcome outcome)
    {
        if (outcome == CallbackOutcome.WrongAmount)
            logger.LogWarning("Payment callback refused: payment {PaymentId} of order {OrderId} paid {Amount} {Currency}, not the order's price",
                callback.PaymentId, callback.OrderId, callback.AmountMinorUnits, callback.Currency);
        return outcome;
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
}
