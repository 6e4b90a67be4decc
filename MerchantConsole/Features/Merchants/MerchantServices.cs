using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Merchants;

public sealed record MerchantRow(Guid Id, string Name, string Code, string TimeZoneId, string Currency, DateTimeOffset CreatedAt, int StaffCount);

public sealed record MerchantList(IReadOnlyList<MerchantRow> Rows, int Total);

public sealed record NewMerchant(string Name, string Code, string TimeZoneId, string Currency, string AdminEmail, string AdminName,
    byte[]? Logo = null, string? LogoFileName = null);

public sealed record CreatedMerchant(Guid MerchantId, IssuedLink AdminLink);

public sealed record MerchantSettings(Guid Id, string Name, string Code, string TimeZoneId, string Currency, Guid? LogoImageId, Guid Stamp);

/// <summary>Support's list of merchants and the creation of a merchant with its first admin.</summary>
public sealed class MerchantDirectoryService(IServiceScopeFactory scopes, ProviderContextOptions contexts, MerchantScope requestScope,
    SetPasswordLinks links, TimeProvider clock, IOptions<UploadOptions> uploads)
{
    public async Task<MerchantList> ListAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = contexts.CreateAcrossMerchants(requestScope.UserName ?? "support");
        var merchants = db.Merchants.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Containing(search);
            merchants = merchants.Where(m => EF.Functions.Like(m.Name, pattern, LikePattern.Escape) || EF.Functions.Like(m.Code, pattern, LikePattern.Escape));
        }
        var total = await merchants.CountAsync(ct);
        var rows = await merchants.OrderBy(m => m.Name).ThenBy(m => m.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(m => new MerchantRow(m.Id, m.Name, m.Code, m.TimeZoneId, m.DefaultCurrency, m.CreatedAt,
                db.Users.Count(u => u.MerchantId == m.Id)))
            .ToListAsync(ct);
        return new MerchantList(rows, total);
    }

    /// <summary>The merchant, its logo and its first admin (no password yet) in one transaction; the admin's link is returned once.</summary>
    public async Task<CreatedMerchant> CreateAsync(NewMerchant input, CancellationToken ct = default)
    {
        var actor = Actor.Of(requestScope);
        var now = clock.GetUtcNow();
        var merchant = Merchant.Create(input.Name, (input.Code ?? "").Trim(), input.TimeZoneId, (input.Currency ?? "").Trim().ToUpperInvariant(), now);

        await using var services = scopes.CreateAsyncScope();
        services.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(merchant.Id, actor.Name);
        var db = services.ServiceProvider.GetRequiredService<MerchantDbContext>();
        var users = services.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await db.Merchants.AnyAsync(m => m.Code == merchant.Code, ct))
            throw new DomainException("Merchant.CodeTaken", "The code '{Code}' is already used by another merchant.", ("Code", merchant.Code));

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Merchants.Add(merchant);
        if (input.Logo is { Length: > 0 } logo)
            merchant.ChangeLogo(await MerchantLogos.AddAsync(db, logo, input.LogoFileName, uploads.Value, now, ct));
        await db.SaveChangesAsync(ct);

        var admin = await StaffService.CreateUserAsync(users, merchant.Id, (input.AdminEmail ?? "").Trim(), (input.AdminName ?? "").Trim(), StaffRoles.MerchantAdmin);
        var link = await links.IssueAsync(db, admin, merchant.Id, actor, ct);
        db.AuditEntries.Add(StaffAudit.ForMerchant(merchant.Id, actor, StaffAudit.MerchantCreated, now,
        [
            new("Name", null, merchant.Name), new("Code", null, merchant.Code), new("TimeZone", null, merchant.TimeZoneId),
            new("Currency", null, merchant.DefaultCurrency), new("Logo", null, merchant.LogoImageId is null ? null : "✓"),
        ]));
        db.AuditEntries.Add(StaffAudit.ForStaff(merchant.Id, actor, admin, StaffAudit.Invited, now, new AuditChange("Role", null, StaffRoles.MerchantAdmin)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new CreatedMerchant(merchant.Id, link);
    }
}

/// <summary>A merchant admin's own merchant: name, time zone, currency, logo. Every change is audited.</summary>
public sealed class MerchantSettingsService(IDbContextFactory<MerchantDbContext> contexts, MerchantScope requestScope, TimeProvider clock,
    IOptions<UploadOptions> uploads)
{
    public async Task<MerchantSettings?> GetAsync(CancellationToken ct = default)
    {
        var merchantId = requestScope.MerchantId;
        if (merchantId is null) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await db.Merchants.AsNoTracking().SingleOrDefaultAsync(x => x.Id == merchantId, ct);
        return m is null ? null : new MerchantSettings(m.Id, m.Name, m.Code, m.TimeZoneId, m.DefaultCurrency, m.LogoImageId, m.ConcurrencyStamp);
    }

    /// <summary>Saves what changed; refuses with Merchant.Stale if someone else saved since <paramref name="loadedStamp"/>.</summary>
    public async Task<MerchantSettings> SaveAsync(Guid loadedStamp, string name, string timeZoneId, string currency,
        byte[]? newLogo = null, string? logoFileName = null, bool removeLogo = false, CancellationToken ct = default)
    {
        var merchantId = requestScope.MerchantId ?? throw new InvalidOperationException("No merchant is in scope.");
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var merchant = await db.Merchants.SingleAsync(m => m.Id == merchantId, ct);
        if (merchant.ConcurrencyStamp != loadedStamp)
            throw new DomainException("Merchant.Stale", "Someone else changed these settings meanwhile: reload to see their change.");
        var before = new[] { merchant.Name, merchant.TimeZoneId, merchant.DefaultCurrency, merchant.LogoImageId?.ToString() };

        merchant.Rename(name);
        merchant.ChangeTimeZone(timeZoneId);
        merchant.ChangeCurrency((currency ?? "").Trim().ToUpperInvariant());
        if (newLogo is { Length: > 0 }) merchant.ChangeLogo(await MerchantLogos.AddAsync(db, newLogo, logoFileName, uploads.Value, now, ct));
        else if (removeLogo) merchant.ChangeLogo(null);

        var after = new[] { merchant.Name, merchant.TimeZoneId, merchant.DefaultCurrency, merchant.LogoImageId?.ToString() };
        string[] fields = ["Name", "TimeZone", "Currency", "Logo"];
        var changes = fields.Select((f, i) => new AuditChange(f, before[i], after[i])).Where(c => c.Old != c.New).ToList();
        if (changes.Count == 0) return Settings(merchant);
        db.AuditEntries.Add(StaffAudit.ForMerchant(merchantId, Actor.Of(requestScope), StaffAudit.SettingsChanged, now, changes));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Merchant.Stale", "Someone else changed these settings meanwhile: reload to see their change.");
        }
        return Settings(merchant);
    }

    private static MerchantSettings Settings(Merchant m) => new(m.Id, m.Name, m.Code, m.TimeZoneId, m.DefaultCurrency, m.LogoImageId, m.ConcurrencyStamp);
}

internal static class MerchantLogos
{
    public const long MaxBytes = ImageInspector.MaxBytes;

    /// <summary>Adds the logo as one of the merchant's uploaded images, through the same quota and checks as card images.</summary>
    public static async Task<Guid> AddAsync(MerchantDbContext db, byte[] bytes, string? fileName, UploadOptions uploads, DateTimeOffset now,
        CancellationToken ct)
    {
        var result = await UploadedImages.AddAsync(db, bytes, fileName ?? "logo", uploads.MerchantQuotaBytes, now, ct);
        if (result.Id is not { } id)
            throw new DomainException("Merchant.LogoRefused", "The logo is not a usable image ({Reason}).", ("Reason", result.Refusal.ToString()));
        return id;
    }
}
