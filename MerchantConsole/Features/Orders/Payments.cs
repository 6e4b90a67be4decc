using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

public sealed record PaymentRequest(Guid MerchantId, Guid OrderId, Money Amount);

public sealed record PaymentSession(string PaymentId, string PayUrl);

public enum PaymentState
{
    Unknown,
    Pending,
    Paid,
}

public sealed record PaymentStatus(string PaymentId, PaymentState State, Money? Amount);

/// <summary>A refund of an order's payment; <see cref="OrderId"/> keys it, so asking twice refunds once.</summary>
public sealed record PaymentRefundRequest(string PaymentId, Guid OrderId, Money Amount, string? Reason);

public sealed record PaymentRefund(string RefundId, string PaymentId, Money Amount, DateTimeOffset At);

/// <summary>What the app needs of a payment provider; the sandbox implements it, a real provider can too.</summary>
public interface IPaymentProvider
{
    Task<PaymentSession> CreatePaymentAsync(PaymentRequest request, CancellationToken ct = default);
    Task<PaymentStatus> QueryPaymentAsync(string paymentId, CancellationToken ct = default);
    /// <summary>Gives the customer's money back; idempotent per order.</summary>
    Task<PaymentRefund> RefundAsync(PaymentRefundRequest request, CancellationToken ct = default);
    string PayUrl(string paymentId);
}

/// <summary>The callback body a provider posts to the app, signed over its exact bytes.</summary>
public sealed record PaymentCallback(string PaymentId, Guid MerchantId, Guid OrderId, long AmountMinorUnits, string Currency, DateTimeOffset PaidAt);

public sealed class SandboxPaymentOptions
{
    public const string Section = "Payments:Sandbox";
    /// <summary>The HMAC-SHA256 key the sandbox signs callbacks with and the app checks them with.</summary>
    public string Secret { get; set; } = "sandbox-payments-secret-change-me";
    /// <summary>Where the sandbox posts callbacks; empty: the address this app listens on, else <c>App:PublicBaseUrl</c>.</summary>
    public string? CallbackBaseUrl { get; set; }
    /// <summary>How long a payment told to deliver <see cref="SandboxDelivery.Late"/> waits before its callback.</summary>
    public TimeSpan LateDelay { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>How the sandbox delivers a paid payment's callback: the ways a real provider misbehaves, on demand.</summary>
public enum SandboxDelivery
{
    Normal,
    /// <summary>After <see cref="SandboxPaymentOptions.LateDelay"/>.</summary>
    Late,
    Twice,
    /// <summary>A stale duplicate (an earlier attempt, paid a moment before) arrives before the real callback.</summary>
    OutOfOrder,
    /// <summary>The provider reports one minor unit less than the order's price.</summary>
    WrongAmount,
    /// <summary>No callback at all: only the reconcile job's query finds the payment.</summary>
    Never,
}

/// <summary>HMAC-SHA256 over the callback body, hex, in the <see cref="Header"/> header; compared in constant time.</summary>
public sealed class PaymentSignatures(IOptions<SandboxPaymentOptions> options)
{
    public const string Header = "X-Sandbox-Signature";

    public string Sign(ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Secret), body));

    public bool Verify(ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != 64)
            return false;
        var expected = Encoding.ASCII.GetBytes(Sign(body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }
}

/// <summary>How the sandbox delivers a signed callback to the app (over HTTP in production; a test may call in directly).</summary>
public interface ISandboxCallbackDelivery
{
    Task DeliverAsync(byte[] body, string signature, CancellationToken ct);
}

public sealed class HttpSandboxCallbackDelivery(IHttpClientFactory clients, PublicUrls urls, IOptions<SandboxPaymentOptions> options,
    Microsoft.AspNetCore.Hosting.Server.IServer server, ILogger<HttpSandboxCallbackDelivery> logger) : ISandboxCallbackDelivery
{
    private Uri CallbackUrl()
    {
        var configured = options.Value.CallbackBaseUrl;
        // The sandbox lives in this app, so by default it calls the address the app itself listens on.
        var listening = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses
            .Select(a => a.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1"))
            .FirstOrDefault();
        var root = !string.IsNullOrWhiteSpace(configured) ? configured : listening;
        return root is null ? urls.Absolute(OrdersSetup.CallbackPath) : new Uri(new Uri(root.TrimEnd('/') + "/"), OrdersSetup.CallbackPath.TrimStart('/'));
    }

    public async Task DeliverAsync(byte[] body, string signature, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CallbackUrl())
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(PaymentSignatures.Header, signature);
        using var response = await clients.CreateClient(nameof(SandboxPaymentProvider)).SendAsync(request, ct);
        // A refusal (a wrong amount: 422) is the app's answer, not a delivery failure; a real provider would log it too.
        if (!response.IsSuccessStatusCode)
            logger.LogWarning("The app answered the sandbox's callback with {Status}", (int)response.StatusCode);
    }
}

/// <summary>
/// The sandbox provider. Its records are in the shared database, so any app node serves any payment: its pay page, its
/// callbacks and the reconcile job's query (see ARCHITECTURE.md, State every node shares). Creating a payment and refunding
/// one write nothing: both are asked inside the caller's write transaction (on SQLite the one write lock, which a second
/// connection would wait on forever), and the order row that transaction commits already says what the payment is (its id
/// is <c>sbx_</c> + the order id) and whether it was refunded. The sandbox writes its own row (<see cref="SandboxPaymentRecord"/>)
/// when the payment changes outside any transaction of the app's: told how to deliver, or paid.
/// </summary>
public sealed class SandboxPaymentProvider(ProviderContextOptions contexts, PaymentSignatures signatures, ISandboxCallbackDelivery delivery,
    TimeProvider clock, IOptions<SandboxPaymentOptions> options, ILogger<SandboxPaymentProvider> logger) : IPaymentProvider
{
    private const string Actor = "sandbox-payments";
    private const string IdPrefix = "sbx_";

    /// <param name="PaidAmount">What the provider took (the price, unless told <see cref="SandboxDelivery.WrongAmount"/>); null while unpaid.</param>
    public sealed record SandboxPayment(string PaymentId, Guid MerchantId, Guid OrderId, Money Amount, bool Paid,
        SandboxDelivery Delivery = SandboxDelivery.Normal, Money? PaidAmount = null);

    public Task<PaymentSession> CreatePaymentAsync(PaymentRequest request, CancellationToken ct = default)
    {
        var id = IdPrefix + request.OrderId.ToString("N");
        return Task.FromResult(new PaymentSession(id, PayUrl(id)));
    }

    public async Task<PaymentStatus> QueryPaymentAsync(string paymentId, CancellationToken ct = default) =>
        await FindAsync(paymentId, ct) is { } p
            ? new PaymentStatus(paymentId, p.Paid ? PaymentState.Paid : PaymentState.Pending, p.PaidAmount ?? p.Amount)
            : new PaymentStatus(paymentId, PaymentState.Unknown, null);

    /// <summary>Its id comes from the order's, so asking twice (on any node) is the same refund.</summary>
    public Task<PaymentRefund> RefundAsync(PaymentRefundRequest request, CancellationToken ct = default) =>
        Task.FromResult(new PaymentRefund(RefundId(request.OrderId), request.PaymentId, request.Amount, clock.GetUtcNow()));

    /// <summary>The refund the sandbox made for an order, as the refunded order records it; null when it was not refunded.</summary>
    public async Task<PaymentRefund?> RefundOfAsync(Guid orderId, CancellationToken ct = default)
    {
        await using var db = contexts.CreateAcrossMerchants(Actor);
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId && o.RefundedAt != null && o.PaymentId != null)
            .Select(o => new { o.PaymentId, o.PriceMinorUnits, o.Currency, o.RefundedAt }).SingleOrDefaultAsync(ct);
        return order is null ? null
            : new PaymentRefund(RefundId(orderId), order.PaymentId!, new Money(order.PriceMinorUnits, order.Currency), order.RefundedAt!.Value);
    }

    public string PayUrl(string paymentId) => $"{OrdersSetup.SandboxPayPath}/{Uri.EscapeDataString(paymentId)}";

    /// <summary>The payment as the sandbox knows it: its own record once it has one, else the order it was created for.</summary>
    public async Task<SandboxPayment?> FindAsync(string paymentId, CancellationToken ct = default)
    {
        await using var db = contexts.CreateAcrossMerchants(Actor);
        if (await db.SandboxPayments.AsNoTracking().SingleOrDefaultAsync(p => p.PaymentId == paymentId, ct) is { } record)
            return new SandboxPayment(record.PaymentId, record.MerchantId, record.OrderId, new Money(record.AmountMinorUnits, record.Currency),
                record.Paid, Enum.TryParse<SandboxDelivery>(record.Delivery, out var mode) ? mode : SandboxDelivery.Normal,
                record.PaidMinorUnits is { } paid ? new Money(paid, record.Currency) : null);
        if (!paymentId.StartsWith(IdPrefix, StringComparison.Ordinal) || !Guid.TryParseExact(paymentId[IdPrefix.Length..], "N", out var orderId))
            return null;
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId && o.PaymentId == paymentId)
            .Select(o => new { o.MerchantId, o.PriceMinorUnits, o.Currency }).SingleOrDefaultAsync(ct);
        return order is null ? null : new SandboxPayment(paymentId, order.MerchantId, orderId, new Money(order.PriceMinorUnits, order.Currency), false);
    }

    /// <summary>Tells the sandbox how to deliver this payment's callback when it is paid.</summary>
    public async Task<bool> SetDeliveryAsync(string paymentId, SandboxDelivery mode, CancellationToken ct = default)
    {
        if (await FindAsync(paymentId, ct) is not { } payment)
            return false;
        await WriteAsync(payment with { Delivery = mode }, paying: false, ct);
        return true;
    }

    /// <summary>The signed callback body for a payment (the amount may be overridden to play a wrong-amount provider).</summary>
    public (byte[] Body, string Signature) Callback(SandboxPayment payment, Money? amount = null, DateTimeOffset? paidAt = null)
    {
        var paid = amount ?? payment.PaidAmount ?? payment.Amount;
        var body = JsonSerializer.SerializeToUtf8Bytes(new PaymentCallback(payment.PaymentId, payment.MerchantId, payment.OrderId,
            paid.MinorUnits, paid.Currency, paidAt ?? clock.GetUtcNow()), JsonSerializerOptions.Web);
        return (body, signatures.Sign(body));
    }

    /// <summary>The Pay button: marks the payment paid and delivers its signed callback the way the payment was told to.</summary>
    public async Task<bool> PayAsync(string paymentId, CancellationToken ct, SandboxDelivery? mode = null)
    {
        if (await FindAsync(paymentId, ct) is not { } payment)
            return false;
        var delivery1 = mode ?? payment.Delivery;
        var paidAmount = delivery1 == SandboxDelivery.WrongAmount ? new Money(payment.Amount.MinorUnits - 1, payment.Amount.Currency) : payment.Amount;
        payment = payment with { Paid = true, Delivery = delivery1, PaidAmount = paidAmount };
        await WriteAsync(payment, paying: true, ct);
        switch (delivery1)
        {
            case SandboxDelivery.Never:
                break;
            case SandboxDelivery.Late:
                // Sent by the node that was paid; if it stops first, the reconcile job's query finds the payment.
                var late = payment;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await Task.Delay(options.Value.LateDelay, clock, CancellationToken.None);
                        await DeliverAsync(late, null, CancellationToken.None);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                    {
                        logger.LogWarning(e, "The sandbox's late callback for {PaymentId} failed", late.PaymentId);
                    }
                }, CancellationToken.None);
                break;
            case SandboxDelivery.Twice:
                await DeliverAsync(payment, null, ct);
                await DeliverAsync(payment, null, ct);
                break;
            case SandboxDelivery.OutOfOrder:
                // The real callback is stamped now; a stale retry stamped earlier overtakes it.
                var now = clock.GetUtcNow();
                await DeliverAsync(payment, now.AddSeconds(-30), ct);
                await DeliverAsync(payment, now, ct);
                break;
            default:
                await DeliverAsync(payment, null, ct);
                break;
        }
        return true;
    }

    /// <summary>
    /// Saves the sandbox's row: an update of what changed (paid, or only the delivery mode), else the first insert; two
    /// nodes inserting at once meet on the key and the loser updates.
    /// </summary>
    private async Task WriteAsync(SandboxPayment payment, bool paying, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var mode = payment.Delivery.ToString();
        for (var attempt = 1; ; attempt++)
        {
            await using var db = contexts.CreateAcrossMerchants(Actor);
            var row = db.SandboxPayments.Where(p => p.PaymentId == payment.PaymentId);
            var updated = paying
                ? await row.ExecuteUpdateAsync(u => u.SetProperty(p => p.Paid, true).SetProperty(p => p.Delivery, mode)
                    .SetProperty(p => p.PaidMinorUnits, payment.PaidAmount!.Value.MinorUnits).SetProperty(p => p.PaidAt, now).SetProperty(p => p.UpdatedAt, now), ct)
                : await row.ExecuteUpdateAsync(u => u.SetProperty(p => p.Delivery, mode).SetProperty(p => p.UpdatedAt, now), ct);
            if (updated == 1)
                return;
            db.SandboxPayments.Add(new SandboxPaymentRecord
            {
                PaymentId = payment.PaymentId,
                MerchantId = payment.MerchantId,
                OrderId = payment.OrderId,
                AmountMinorUnits = payment.Amount.MinorUnits,
                Currency = payment.Amount.Currency,
                Delivery = mode,
                Paid = payment.Paid,
                PaidMinorUnits = payment.PaidAmount?.MinorUnits,
                PaidAt = payment.Paid ? now : null,
                UpdatedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException e) when (attempt < 3 && MerchantConsole.Features.Coupons.CouponStore.IsUniqueViolation(e))
            {
            }
        }
    }

    private static string RefundId(Guid orderId) => "sbx_rf_" + orderId.ToString("N");

    private Task DeliverAsync(SandboxPayment payment, DateTimeOffset? paidAt, CancellationToken ct)
    {
        var (body, signature) = Callback(payment, paidAt: paidAt);
        return delivery.DeliverAsync(body, signature, ct);
    }
}
