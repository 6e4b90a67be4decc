using System.Security.Cryptography;
using System.Text;
using MerchantConsole.Data;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Storefront;

public enum CodeCheck
{
    Accepted,
    /// <summary>No code is outstanding for the phone: never sent, already used, or voided by too many wrong guesses.</summary>
    NoCode,
    Expired,
    Wrong,
}

/// <summary>A code to send, or how long the phone must wait for one (<see cref="StorefrontOptions.CodesPerPhone"/> per window).</summary>
public sealed record CodeIssue(string? Code, DateTimeOffset ExpiresAt, TimeSpan? RetryAfter)
{
    public bool Issued => Code is not null;
}

/// <summary>
/// The one-time sign-in codes waiting to be used, per merchant and phone: one at a time (a new one replaces the old),
/// expiring, single-use, void after <see cref="StorefrontOptions.MaxCodeAttempts"/> wrong guesses, and at most
/// <see cref="StorefrontOptions.CodesPerPhone"/> sent per <see cref="StorefrontOptions.CodeWindow"/>. Kept in the database
/// (<see cref="SignInCode"/>, a hash only) so any app node accepts a code another sent; every step is an update
/// conditional on the row as read, so two nodes checking one code at once use it once. See ARCHITECTURE.md, State every node shares.
/// </summary>
public sealed class SignInCodes(ProviderContextOptions contexts, TimeProvider clock, IOptions<StorefrontOptions> options)
{
    private const string Actor = "storefront-sign-in";

    /// <summary>A new six-digit code for the phone, replacing any outstanding one, unless the phone had its codes for this window.</summary>
    public async Task<CodeIssue> IssueAsync(Guid merchantId, string phone, CancellationToken ct = default)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            var codeId = Guid.NewGuid();
            var hash = Hash(codeId, code);
            var now = clock.GetUtcNow();
            var expiresAt = now + settings.CodeLifetime;
            var windowOver = now - settings.CodeWindow;
            await using var db = contexts.CreateForMerchant(merchantId, Actor);
            // The window's count and the new code in one conditional update: two nodes issuing at once both count.
            var issued = await db.SignInCodes
                .Where(c => c.Phone == phone && (c.WindowStartedAt <= windowOver || c.SentInWindow < settings.CodesPerPhone))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(c => c.CodeId, codeId)
                    .SetProperty(c => c.CodeHash, hash)
                    .SetProperty(c => c.ExpiresAt, expiresAt)
                    .SetProperty(c => c.Attempts, 0)
                    .SetProperty(c => c.SentInWindow, c => c.WindowStartedAt <= windowOver ? 1 : c.SentInWindow + 1)
                    .SetProperty(c => c.WindowStartedAt, c => c.WindowStartedAt <= windowOver ? now : c.WindowStartedAt), ct);
            if (issued == 1)
                return new CodeIssue(code, expiresAt, null);
            var windowStartedAt = await db.SignInCodes.Where(c => c.Phone == phone).Select(c => (DateTimeOffset?)c.WindowStartedAt)
                .SingleOrDefaultAsync(ct);
            if (windowStartedAt is { } started)
                return new CodeIssue(null, default, Max(started + settings.CodeWindow - now, TimeSpan.FromSeconds(1)));
            db.SignInCodes.Add(new SignInCode
            {
                MerchantId = merchantId,
                Phone = phone,
                CodeId = codeId,
                CodeHash = hash,
                ExpiresAt = expiresAt,
                WindowStartedAt = now,
                SentInWindow = 1,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return new CodeIssue(code, expiresAt, null);
            }
            catch (DbUpdateException e) when (attempt < 3 && CouponStore.IsUniqueViolation(e))
            {
                // The phone's first code asked on two nodes at once: the other row exists now, so count against it.
            }
        }
    }

    /// <summary>Checks a typed code; an accepted code is used up.</summary>
    public async Task<CodeCheck> CheckAsync(Guid merchantId, string phone, string code, CancellationToken ct = default)
    {
        await using var db = contexts.CreateForMerchant(merchantId, Actor);
        var pending = await db.SignInCodes.AsNoTracking().Where(c => c.Phone == phone && c.CodeHash != null)
            .Select(c => new { c.CodeId, c.CodeHash, c.ExpiresAt }).SingleOrDefaultAsync(ct);
        if (pending is null)
            return CodeCheck.NoCode;
        var thisCode = db.SignInCodes.Where(c => c.Phone == phone && c.CodeId == pending.CodeId && c.CodeHash != null);
        if (clock.GetUtcNow() >= pending.ExpiresAt)
        {
            await thisCode.ExecuteUpdateAsync(u => u.SetProperty(c => c.CodeHash, (byte[]?)null), ct);
            return CodeCheck.Expired;
        }
        // Take one attempt before comparing, so however many checks run at once, at most the limit are ever compared.
        var maxAttempts = options.Value.MaxCodeAttempts;
        if (await thisCode.Where(c => c.Attempts < maxAttempts).ExecuteUpdateAsync(u => u.SetProperty(c => c.Attempts, c => c.Attempts + 1), ct) == 0)
            return CodeCheck.NoCode;
        if (!CryptographicOperations.FixedTimeEquals(pending.CodeHash!, Hash(pending.CodeId, code.Trim())))
        {
            // The last allowed attempt voids the code, so it no longer counts as waiting.
            await thisCode.Where(c => c.Attempts >= maxAttempts).ExecuteUpdateAsync(u => u.SetProperty(c => c.CodeHash, (byte[]?)null), ct);
            return CodeCheck.Wrong;
        }
        // Of two checks of the right code at once, only one clears the hash.
        return await thisCode.ExecuteUpdateAsync(u => u.SetProperty(c => c.CodeHash, (byte[]?)null), ct) == 1
            ? CodeCheck.Accepted
            : CodeCheck.NoCode;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static byte[] Hash(Guid codeId, string code) => SHA256.HashData(Encoding.UTF8.GetBytes($"{codeId:N}:{code}"));
}
