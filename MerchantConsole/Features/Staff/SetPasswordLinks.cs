using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Staff;

public enum SetPasswordOutcome
{
    Done,
    Usable,
    Unknown,
    Used,
    Expired,
    Deactivated,
    PasswordRejected,
}

/// <summary>Errors are Identity's password errors as refusals (<see cref="IdentityRefusals"/>), for the page to word through RefusalText.</summary>
public sealed record SetPasswordResult(SetPasswordOutcome Outcome, IReadOnlyList<Refusal>? Errors = null, string? Email = null);

/// <summary>The link shown to whoever invited a user; never mailed, since the console has no mail server.</summary>
public sealed record IssuedLink(string UserId, string Email, string Token, DateTimeOffset ExpiresAt)
{
    public string RelativeUrl => SetPasswordLinks.Url(Token);
}

/// <summary>
/// One-time set-password links: issued with an invitation (or a merchant's first admin), used once to set a password
/// that meets Identity's rules, refused once used, expired or if the user was deactivated.
/// </summary>
public sealed class SetPasswordLinks(IServiceScopeFactory scopes, ProviderContextOptions contexts, TimeProvider clock, IOptionsMonitor<StaffOptions> options)
{
    public const string Path = "/account/set-password";

    public static string Url(string token) => $"{Path}?token={Uri.EscapeDataString(token)}";

    /// <summary>Adds a new link for the user to the context (saved with the caller's change); older unused links stop working.</summary>
    public async Task<IssuedLink> IssueAsync(MerchantDbContext db, StaffUser user, Guid merchantId, Actor actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        foreach (var older in await db.SetPasswordLinks.Where(l => l.UserId == user.Id && l.UsedAt == null).ToListAsync(ct))
            if (older.ExpiresAt > now) older.ExpiresAt = now;
        var (link, token) = SetPasswordLink.Create(merchantId, user.Id, actor.Name, now, options.CurrentValue.SetPasswordLinkLifetime);
        db.SetPasswordLinks.Add(link);
        return new IssuedLink(user.Id, user.Email ?? "", token, link.ExpiresAt);
    }

    /// <summary>Whether the link can still be used, for the page to say so before the user types a password.</summary>
    public async Task<SetPasswordResult> CheckAsync(string? token, CancellationToken ct = default)
    {
        await using var db = contexts.Create(new MerchantScope());
        var (outcome, link) = await FindAsync(db, token, ct);
        if (outcome != SetPasswordOutcome.Usable) return new(outcome);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == link!.UserId, ct);
        if (user is null || user.MerchantId != link!.MerchantId) return new(SetPasswordOutcome.Unknown);
        return user.IsActive ? new(SetPasswordOutcome.Usable, Email: user.Email) : new(SetPasswordOutcome.Deactivated);
    }

    public async Task<SetPasswordResult> CompleteAsync(string? token, string password, CancellationToken ct = default)
    {
        Guid merchantId;
        string userId;
        await using (var lookup = contexts.Create(new MerchantScope()))
        {
            var (outcome, link) = await FindAsync(lookup, token, ct);
            if (outcome != SetPasswordOutcome.Usable) return new(outcome);
            merchantId = link!.MerchantId;
            userId = link.UserId;
        }

        await using var services = scopes.CreateAsyncScope();
        services.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchantId, "set-password link");
        var db = services.ServiceProvider.GetRequiredService<MerchantDbContext>();
        var users = services.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.MerchantId != merchantId) return new(SetPasswordOutcome.Unknown);
        if (!user.IsActive) return new(SetPasswordOutcome.Deactivated);

        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password ?? "");
            errors.AddRange(check.Errors);
        }
        if (errors.Count > 0) return new(SetPasswordOutcome.PasswordRejected, IdentityRefusals.From(errors));

        var now = clock.GetUtcNow();
        var hash = SetPasswordLink.Hash(token!);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Claimed with one conditional update, so two tabs submitting the same link cannot both succeed.
        var claimed = await db.SetPasswordLinks
            .Where(l => l.TokenHash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        if (claimed != 1) return new(SetPasswordOutcome.Used);

        if (await users.HasPasswordAsync(user)) IdentityRefusals.EnsureSucceeded(await users.RemovePasswordAsync(user));
        IdentityRefusals.EnsureSucceeded(await users.AddPasswordAsync(user, password!));
        if (await users.IsLockedOutAsync(user)) IdentityRefusals.EnsureSucceeded(await users.SetLockoutEndDateAsync(user, null));
        db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, new Actor(user.Id, user.Email ?? user.Id), user, StaffAudit.PasswordSet, now));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(SetPasswordOutcome.Done, Email: user.Email);
    }

    private async Task<(SetPasswordOutcome, SetPasswordLink?)> FindAsync(MerchantDbContext db, string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200) return (SetPasswordOutcome.Unknown, null);
        var hash = SetPasswordLink.Hash(token);
        var link = await db.SetPasswordLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null) return (SetPasswordOutcome.Unknown, null);
        if (link.UsedAt is not null) return (SetPasswordOutcome.Used, link);
        if (link.ExpiresAt <= clock.GetUtcNow()) return (SetPasswordOutcome.Expired, link);
        return (SetPasswordOutcome.Usable, link);
    }
}
