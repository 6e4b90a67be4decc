using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Storefront;

/// <summary>Sends a text message to a customer's phone. A real SMS gateway implements it; the sandbox keeps what it "sent".</summary>
public interface ISmsSender
{
    Task SendSignInCodeAsync(SmsMerchant merchant, string phone, string code, DateTimeOffset expiresAt, CancellationToken ct = default);
}

public sealed record SmsMerchant(Guid Id, string Code, string Name);

/// <summary>One message the sandbox sender was asked to deliver.</summary>
public sealed record SandboxSms(Guid MerchantId, string MerchantCode, string MerchantName, string Phone, string Code,
    DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Delivers nothing: logs the code and keeps the latest messages in memory so support (<c>/support/sms</c>) can read a
/// code to a customer or a tester. Not for production use beyond a demo: codes are readable by Support.
/// </summary>
public sealed class SandboxSmsSender(ILogger<SandboxSmsSender> logger, TimeProvider clock, IOptions<StorefrontOptions> options) : ISmsSender
{
    private readonly ConcurrentQueue<SandboxSms> _sent = new();

    public Task SendSignInCodeAsync(SmsMerchant merchant, string phone, string code, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        logger.LogInformation("Sandbox SMS to {Phone} for {Merchant}: sign-in code {Code}, valid until {ExpiresAt:O}",
            phone, merchant.Code, code, expiresAt);
        _sent.Enqueue(new SandboxSms(merchant.Id, merchant.Code, merchant.Name, phone, code, clock.GetUtcNow(), expiresAt));
        while (_sent.Count > Math.Max(1, options.Value.SandboxMessagesKept))
            _sent.TryDequeue(out _);
        return Task.CompletedTask;
    }

    /// <summary>The kept messages, newest first.</summary>
    public IReadOnlyList<SandboxSms> Recent() => [.. _sent.Reverse()];

    /// <summary>The newest code sent to <paramref name="phone"/> of a merchant, if any.</summary>
    public string? LatestCode(string merchantCode, string phone) =>
        Recent().FirstOrDefault(m => m.MerchantCode == merchantCode && m.Phone == phone)?.Code;
}
