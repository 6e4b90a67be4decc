using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;
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
/// Delivers nothing: logs the code and keeps the message in the database (<see cref="SandboxSmsMessage"/>), so support
/// (<c>/support/sms</c>) on any node can read a code to a customer or a tester. Not for production use beyond a demo:
/// codes are readable by Support. The sign-in code sweep keeps the newest <see cref="StorefrontOptions.SandboxMessagesKept"/>.
/// </summary>
public sealed class SandboxSmsSender(ProviderContextOptions contexts, ILogger<SandboxSmsSender> logger, TimeProvider clock,
    IOptions<StorefrontOptions> options) : ISmsSender
{
    private const string Actor = "sandbox-sms";

    public async Task SendSignInCodeAsync(SmsMerchant merchant, string phone, string code, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        logger.LogInformation("Sandbox SMS to {Phone} for {Merchant}: sign-in code {Code}, valid until {ExpiresAt:O}",
            phone, merchant.Code, code, expiresAt);
        await using var db = contexts.CreateForMerchant(merchant.Id, Actor);
        db.SandboxSmsMessages.Add(new SandboxSmsMessage
        {
            Id = Guid.CreateVersion7(),
            MerchantId = merchant.Id,
            MerchantCode = merchant.Code,
            MerchantName = merchant.Name,
            Phone = phone,
            Code = code,
            SentAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The kept messages of every merchant, newest first (the support page's).</summary>
    public async Task<IReadOnlyList<SandboxSms>> RecentAsync(CancellationToken ct = default)
    {
        await using var db = contexts.CreateAcrossMerchants(Actor);
        return await Read(db.SandboxSmsMessages).Take(Math.Max(1, options.Value.SandboxMessagesKept)).ToListAsync(ct);
    }

    /// <summary>The newest code sent to <paramref name="phone"/> of a merchant, if any.</summary>
    public async Task<string?> LatestCodeAsync(string merchantCode, string phone, CancellationToken ct = default)
    {
        await using var db = contexts.CreateAcrossMerchants(Actor);
        return await db.SandboxSmsMessages.Where(m => m.MerchantCode == merchantCode && m.Phone == phone)
            .OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Id).Select(m => m.Code).FirstOrDefaultAsync(ct);
    }

    private static IQueryable<SandboxSms> Read(IQueryable<SandboxSmsMessage> messages) =>
        messages.AsNoTracking().OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Id)
            .Select(m => new SandboxSms(m.MerchantId, m.MerchantCode, m.MerchantName, m.Phone, m.Code, m.SentAt, m.ExpiresAt));
}
