using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Storefront;

/// <summary>
/// Hourly (recurring <c>sign-in-code-sweep</c>): deletes sign-in code rows whose code has run out and whose sending window
/// is over (a row still counting a window must stay, or the phone's limit would start again), and sandbox text messages
/// beyond the newest <see cref="StorefrontOptions.SandboxMessagesKept"/>. Set-based deletes: safe on any number of nodes at once.
/// </summary>
public sealed class SignInCodeSweepJob(ProviderContextOptions contexts, TimeProvider clock, IOptions<StorefrontOptions> options)
{
    public const string RecurringJobId = "sign-in-code-sweep";
    private const string Actor = "sign-in-code-sweep";

    /// <summary>Returns how many code rows and messages it deleted.</summary>
    public async Task<(int Codes, int Messages)> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var windowOver = now - settings.CodeWindow;
        await using var db = contexts.CreateAcrossMerchants(Actor);
        var codes = await db.SignInCodes.Where(c => c.ExpiresAt <= now && c.WindowStartedAt <= windowOver).ExecuteDeleteAsync(ct);
        var oldestKept = await db.SandboxSmsMessages.OrderByDescending(m => m.SentAt)
            .Skip(Math.Max(1, settings.SandboxMessagesKept) - 1).Select(m => (DateTimeOffset?)m.SentAt).FirstOrDefaultAsync(ct);
        var messages = oldestKept is { } kept ? await db.SandboxSmsMessages.Where(m => m.SentAt < kept).ExecuteDeleteAsync(ct) : 0;
        return (codes, messages);
    }
}
