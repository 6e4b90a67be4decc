using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MerchantConsole.Domain.Common;
using MerchantConsole.Hosting;
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
/// The sandbox provider: payments live in memory (it stands in for a provider's own records), the pay page lets a
/// person pay, and paying sends the app a signed callback.
/// </summary>
public sealed class SandboxPaymentProvider(PaymentSignatures signatures, ISandboxCallbackDelivery delivery, TimeProvider clock,
    IOptions<SandboxPaymentOptions> options, ILogger<SandboxPaymentProvider> logger) : IPaymentProvider
{
    private readonly ConcurrentDictionary<string, SandboxPayment> _payments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, PaymentRefund> _refunds = new();

    /// <param name="PaidAmount">What the provider took (the price, unless told <see cref="SandboxDelivery.WrongAmount"/>); null while unpaid.</param>
    public sealed record SandboxPayment(string PaymentId, Guid MerchantId, Guid OrderId, Money Amount, bool Paid,
        SandboxDelivery Delivery = SandboxDelivery.Normal, Money? PaidAmount = null);

    public Task<PaymentSession> CreatePaymentAsync(PaymentRequest request, CancellationToken ct = default)
    {
        var id = "sbx_" + request.OrderId.ToString("N");
        _payments.TryAdd(id, new SandboxPayment(id, request.MerchantId, request.OrderId, request.Amount, false));
        return Task.FromResult(new PaymentSession(id, PayUrl(id)));
    }

    public Task<PaymentStatus> QueryPaymentAsync(string paymentId, CancellationToken ct = default) =>
        Task.FromResult(_payments.TryGetValue(paymentId, out var p)
            ? new PaymentStatus(paymentId, p.Paid ? PaymentState.Paid : PaymentState.Pending, p.PaidAmount ?? p.Amount)
            : new PaymentStatus(paymentId, PaymentState.Unknown, null));

    public Task<PaymentRefund> RefundAsync(PaymentRefundRequest request, CancellationToken ct = default) =>
        Task.FromResult(_refunds.GetOrAdd(request.OrderId, _ => new PaymentRefund("sbx_rf_" + request.OrderId.ToString("N"), request.PaymentId,
            request.Amount, clock.GetUtcNow())));

    /// <summary>The refunds the sandbox has made, by order (a provider's own records).</summary>
    public PaymentRefund? RefundOf(Guid orderId) => _refunds.TryGetValue(orderId, out var refund) ? refund : null;

    public string PayUrl(string paymentId) => $"{OrdersSetup.SandboxPayPath}/{Uri.EscapeDataString(paymentId)}";

    public SandboxPayment? Find(string paymentId) => _payments.TryGetValue(paymentId, out var p) ? p : null;

    /// <summary>Tells the sandbox how to deliver this payment's callback when it is paid.</summary>
    public bool SetDelivery(string paymentId, SandboxDelivery mode)
    {
        if (!_payments.TryGetValue(paymentId, out var payment))
            return false;
        _payments[paymentId] = payment with { Delivery = mode };
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
        if (!_payments.TryGetValue(paymentId, out var payment))
            return false;
        var delivery1 = mode ?? payment.Delivery;
        var paidAmount = delivery1 == SandboxDelivery.WrongAmount ? new Money(payment.Amount.MinorUnits - 1, payment.Amount.Currency) : payment.Amount;
        payment = _payments[paymentId] = payment with { Paid = true, Delivery = delivery1, PaidAmount = paidAmount };
        switch (delivery1)
        {
            case SandboxDelivery.Never:
                break;
            case SandboxDelivery.Late:
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

    private Task DeliverAsync(SandboxPayment payment, DateTimeOffset? paidAt, CancellationToken ct)
    {
        var (body, signature) = Callback(payment, paidAt: paidAt);
        return delivery.DeliverAsync(body, signature, ct);
    }
}
