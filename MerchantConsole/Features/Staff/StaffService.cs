using MerchantConsole.Account;
using System.ComponentModel.DataAnnotations;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Staff;

public enum StaffStatus
{
    Active,
    /// <summary>Invited; has not set a password yet.</summary>
    Pending,
    LockedOut,
    Deactivated,
}

public sealed record StaffRow(string Id, string Email, string DisplayName, string? Role, StaffStatus Status, DateTimeOffset? LockedUntil, bool IsSelf);

public sealed record StaffAuditRow(DateTimeOffset At, string Actor, string Action, string? Target, IReadOnlyList<AuditChange> Changes);

public sealed record StaffAuditPage(IReadOnlyList<StaffAuditRow> Rows, int Total);

/// <summary>
/// A merchant admin's staff commands and queries, always for the signed-in user's merchant: a user of another merchant
/// is "not found". Each command runs in its own DI scope (a circuit outlives any unit of work, and Identity's stores
/// track what they load), in one transaction with its audit entry, and ends the user's sessions where it takes
/// something away (ARCHITECTURE.md, "Tenancy").
/// </summary>
public sealed class StaffService(IServiceScopeFactory scopes, MerchantScope requestScope, SetPasswordLinks links, TimeProvider clock)
{
    public async Task<IReadOnlyList<StaffRow>> ListAsync(CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        return await WithScopeAsync(merchantId, async (db, _) =>
        {
            var users = await db.Users.AsNoTracking().Where(u => u.MerchantId == merchantId).OrderBy(u => u.Email).ToListAsync(ct);
            var roles = await RolesOfAsync(db, users.Select(u => u.Id).ToList(), ct);
            return (IReadOnlyList<StaffRow>)users.Select(u => Row(u, roles.GetValueOrDefault(u.Id))).ToList();
        });
    }

    public async Task<StaffRow?> FindAsync(string id, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        return await WithScopeAsync(merchantId, async (db, _) =>
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id && u.MerchantId == merchantId, ct);
            if (user is null) return null;
            var roles = await RolesOfAsync(db, [user.Id], ct);
            return Row(user, roles.GetValueOrDefault(user.Id));
        });
    }

    /// <summary>Creates the user without a password and returns the one-time link that lets them set one.</summary>
    public async Task<IssuedLink> InviteAsync(string email, string displayName, string role, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        email = (email ?? "").Trim();
        displayName = (displayName ?? "").Trim();
        RequireMerchantRole(role);
        return await InTransactionAsync(merchantId, async (db, users) =>
        {
            var user = await CreateUserAsync(users, merchantId, email, displayName, role);
            var link = await links.IssueAsync(db, user, merchantId, Actor, ct);
            db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, Actor, user, StaffAudit.Invited, clock.GetUtcNow(),
                new AuditChange("Role", null, role)));
            await db.SaveChangesAsync(ct);
            return link;
        });
    }

    /// <summary>A new set-password link (the old one expired, or the user forgot their password); older links stop working.</summary>
    public async Task<IssuedLink> IssueLinkAsync(string userId, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        return await InTransactionAsync(merchantId, async (db, users) =>
        {
            var user = await LoadAsync(users, merchantId, userId);
            if (!user.IsActive)
                throw new DomainException("Staff.Deactivated", "{Email} is deactivated: reactivate them first.", ("Email", user.Email));
            var link = await links.IssueAsync(db, user, merchantId, Actor, ct);
            db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, Actor, user, StaffAudit.LinkIssued, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
            return link;
        });
    }

    public async Task ChangeRoleAsync(string userId, string role, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        RequireMerchantRole(role);
        await InTransactionAsync(merchantId, async (db, users) =>
        {
            var user = await LoadAsync(users, merchantId, userId);
            var current = (await users.GetRolesAsync(user)).ToList();
            if (current.SequenceEqual([role])) return 0;
            if (current.Contains(StaffRoles.Support))
                throw new DomainException("Staff.SupportRole", "Support accounts are not managed here.");
            if (current.Contains(StaffRoles.MerchantAdmin) && role != StaffRoles.MerchantAdmin)
                await RequireAnotherActiveAdminAsync(db, merchantId, user, ct);
            if (current.Count > 0) IdentityRefusals.EnsureSucceeded(await users.RemoveFromRolesAsync(user, current));
            IdentityRefusals.EnsureSucceeded(await users.AddToRoleAsync(user, role));
            // The cookie carries the roles: a stamp change sends every session of the user back through sign-in.
            IdentityRefusals.EnsureSucceeded(await users.UpdateSecurityStampAsync(user));
            db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, Actor, user, StaffAudit.RoleChanged, clock.GetUtcNow(),
                new AuditChange("Role", string.Join(", ", current), role)));
            await db.SaveChangesAsync(ct);
            return 0;
        });
    }

    /// <summary>The user can no longer sign in, and every session they have ends (security stamp).</summary>
    public async Task DeactivateAsync(string userId, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        await InTransactionAsync(merchantId, async (db, users) =>
        {
            var user = await LoadAsync(users, merchantId, userId);
            if (!user.IsActive) return 0;
            if (await users.IsInRoleAsync(user, StaffRoles.MerchantAdmin))
                await RequireAnotherActiveAdminAsync(db, merchantId, user, ct);
            var now = clock.GetUtcNow();
            user.DeactivatedAt = now;
            IdentityRefusals.EnsureSucceeded(await users.UpdateSecurityStampAsync(user));
            db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, Actor, user, StaffAudit.Deactivated, now));
            await db.SaveChangesAsync(ct);
            return 0;
        });
    }

    public async Task ReactivateAsync(string userId, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        await InTransactionAsync(merchantId, async (db, users) =>
        {
            var user = await LoadAsync(users, merchantId, userId);
            if (user.IsActive) return 0;
            user.DeactivatedAt = null;
            IdentityRefusals.EnsureSucceeded(await users.UpdateAsync(user));
            db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, Actor, user, StaffAudit.Reactivated, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
            return 0;
        });
    }

    /// <summary>Ends a lockout after too many failed sign-ins, and forgets the failures.</summary>
    public async Task UnlockAsync(string userId, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        await InTransactionAsync(merchantId, async (db, users) =>
        {
            var user = await LoadAsync(users, merchantId, userId);
            IdentityRefusals.EnsureSucceeded(await users.SetLockoutEndDateAsync(user, null));
            IdentityRefusals.EnsureSucceeded(await users.ResetAccessFailedCountAsync(user));
            db.AuditEntries.Add(StaffAudit.ForStaff(merchantId, Actor, user, StaffAudit.Unlocked, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
            return 0;
        });
    }

    /// <summary>Who did what to staff and settings, newest first.</summary>
    public async Task<StaffAuditPage> AuditTrailAsync(int page, int pageSize, CancellationToken ct = default)
    {
        var merchantId = RequireMerchant();
        return await WithScopeAsync(merchantId, async (db, _) =>
        {
            var entries = db.AuditEntries.AsNoTracking()
                .Where(a => a.MerchantId == merchantId && (a.AggregateType == StaffAudit.StaffType || a.AggregateType == StaffAudit.MerchantType));
            var total = await entries.CountAsync(ct);
            var rows = await entries.OrderByDescending(a => a.Id).Skip(Math.Max(0, page) * pageSize).Take(pageSize).ToListAsync(ct);
            return new StaffAuditPage(rows.Select(a =>
            {
                var changes = a.ReadChanges();
                var target = changes.FirstOrDefault(c => c.Field == "Email")?.New;
                return new StaffAuditRow(a.At, a.UserName, a.Action, target, changes.Where(c => c.Field != "Email").ToList());
            }).ToList(), total);
        });
    }

    internal static async Task<StaffUser> CreateUserAsync(UserManager<StaffUser> users, Guid merchantId, string email, string displayName, string role)
    {
        if (email.Length is 0 or > 256 || !new EmailAddressAttribute().IsValid(email))
            throw new DomainException("Staff.EmailInvalid", "'{Email}' is not an email address.", ("Email", email));
        if (displayName.Length > 100)
            throw new DomainException("Staff.NameTooLong", "A name is at most {Max} characters.", ("Max", 100));
        if (await users.FindByEmailAsync(email) is not null)
            throw new DomainException("Staff.EmailTaken", "{Email} already has an account.", ("Email", email));
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName.Length > 0 ? displayName : email,
            MerchantId = merchantId,
        };
        IdentityRefusals.EnsureSucceeded(await users.CreateAsync(user));
        IdentityRefusals.EnsureSucceeded(await users.AddToRoleAsync(user, role));
        return user;
    }

    private static async Task<StaffUser> LoadAsync(UserManager<StaffUser> users, Guid merchantId, string userId)
    {
        var user = string.IsNullOrEmpty(userId) ? null : await users.FindByIdAsync(userId);
        // Another merchant's user is reported exactly like a missing one.
        if (user is null || user.MerchantId != merchantId)
            throw new DomainException(NotFoundCode, "This staff member was not found.");
        return user;
    }

    public const string NotFoundCode = "Staff.NotFound";

    /// <summary>A merchant always keeps one admin who can sign in, so nobody has to call support to get back in.</summary>
    private static async Task RequireAnotherActiveAdminAsync(MerchantDbContext db, Guid merchantId, StaffUser leaving, CancellationToken ct)
    {
        var others = await (
            from u in db.Users
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where u.MerchantId == merchantId && r.Name == StaffRoles.MerchantAdmin && u.DeactivatedAt == null
                  && u.PasswordHash != null && u.Id != leaving.Id
            select u.Id).CountAsync(ct);
        if (others == 0)
            throw new DomainException("Staff.LastAdmin", "{Email} is the last active admin of this merchant: make someone else an admin first.", ("Email", leaving.Email));
    }

    private static void RequireMerchantRole(string role)
    {
        if (!StaffRoles.MerchantRoles.Contains(role))
            throw new DomainException("Staff.RoleNotAllowed", "'{Role}' cannot be given here: choose MerchantAdmin or StoreManager.", ("Role", role));
    }

    private static async Task<Dictionary<string, string>> RolesOfAsync(MerchantDbContext db, List<string> userIds, CancellationToken ct) =>
        (await (from ur in db.UserRoles
                join r in db.Roles on ur.RoleId equals r.Id
                where userIds.Contains(ur.UserId)
                select new { ur.UserId, r.Name }).ToListAsync(ct))
        .GroupBy(x => x.UserId)
        .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(x => x.Name).Order()));

    private StaffRow Row(StaffUser user, string? role)
    {
        var now = clock.GetUtcNow();
        var locked = user.LockoutEnd is { } end && end > now ? end : (DateTimeOffset?)null;
        var status = !user.IsActive ? StaffStatus.Deactivated
            : locked is not null ? StaffStatus.LockedOut
            : user.PasswordHash is null ? StaffStatus.Pending
            : StaffStatus.Active;
        return new StaffRow(user.Id, user.Email ?? "", user.DisplayName, role, status, locked, user.Id == requestScope.UserId);
    }

    private Actor Actor => Actor.Of(requestScope);

    private Guid RequireMerchant() => requestScope.MerchantId
        ?? throw new InvalidOperationException("Staff are managed for the signed-in user's merchant; none is in scope.");

    private async Task<T> WithScopeAsync<T>(Guid merchantId, Func<MerchantDbContext, UserManager<StaffUser>, Task<T>> work)
    {
        await using var services = scopes.CreateAsyncScope();
        services.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchantId, Actor.Name);
        return await work(services.ServiceProvider.GetRequiredService<MerchantDbContext>(), services.ServiceProvider.GetRequiredService<UserManager<StaffUser>>());
    }

    private Task<T> InTransactionAsync<T>(Guid merchantId, Func<MerchantDbContext, UserManager<StaffUser>, Task<T>> work) =>
        WithScopeAsync(merchantId, async (db, users) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await work(db, users);
            await transaction.CommitAsync();
            return result;
        });
}
