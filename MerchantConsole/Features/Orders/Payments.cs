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

/// <summary>What the app needs of a payment provider; the sandbox implements it, a real provider can too.</summary>
public interface IPaymentProvider
{
    Task<PaymentSession> CreatePaymentAsync(PaymentRequest request, CancellationToken ct = default);
    Task<PaymentStatus> QueryPaymentAsync(string paymentId, CancellationToken ct = default);
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
    Microsoft.AspNetCore.Hosting.Server.IServer server) : ISandboxCallbackDelivery
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
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>
/// The sandbox provider: payments live in memory (it stands in for a provider's own records), the pay page lets a
/// person pay, and paying sends the app a signed callback.
/// </summary>
public sealed class SandboxPaymentProvider(PaymentSignatures signatures, ISandboxCallbackDelivery delivery, TimeProvider clock) : IPaymentProvider
{
    private readonly ConcurrentDictionary<string, SandboxPayment> _payments = new(StringComparer.Ordinal);

    public sealed record SandboxPayment(string PaymentId, Guid MerchantId, Guid OrderId, Money Amount, bool Paid);

    public Task<PaymentSession> CreatePaymentAsync(PaymentRequest request, CancellationToken ct = default)
    {
        var id = "sbx_" + request.OrderId.ToString("N");
        _payments.TryAdd(id, new SandboxPayment(id, request.MerchantId, request.OrderId, request.Amount, false));
        return Task.FromResult(new PaymentSession(id, PayUrl(id)));
    }

    public Task<PaymentStatus> QueryPaymentAsync(string paymentId, CancellationToken ct = default) =>
        Task.FromResult(_payments.TryGetValue(paymentId, out var p)
            ? new PaymentStatus(paymentId, p.Paid ? PaymentState.Paid : PaymentState.Pending, p.Amount)
            : new PaymentStatus(paymentId, PaymentState.Unknown, null));

    public string PayUrl(string paymentId) => $"{OrdersSetup.SandboxPayPath}/{Uri.EscapeDataString(paymentId)}";

    public SandboxPayment? Find(string paymentId) => _payments.TryGetValue(paymentId, out var p) ? p : null;

    /// <summary>The signed callback body for a payment (the amount may be overridden to play a wrong-amount provider).</summary>
    public (byte[] Body, string Signature) Callback(SandboxPayment payment, Money? amount = null)
    {
        var paid = amount ?? payment.Amount;
        var body = JsonSerializer.SerializeToUtf8Bytes(new PaymentCallback(payment.PaymentId, payment.MerchantId, payment.OrderId,
            paid.MinorUnits, paid.Currency, clock.GetUtcNow()), JsonSerializerOptions.Web);
        return (body, signatures.Sign(body));
    }

    /// <summary>The Pay button: marks the payment paid and delivers its signed callback.</summary>
    public async Task<bool> PayAsync(string paymentId, CancellationToken ct)
    {
        if (!_payments.TryGetValue(paymentId, out var payment))
            return false;
        payment = _payments[paymentId] = payment with { Paid = true };
        var (body, signature) = Callback(payment);
        await delivery.DeliverAsync(body, signature, ct);
        return true;
    }
}
