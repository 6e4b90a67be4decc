using System.Text;
using System.Text.Json;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Grants;

public sealed record GrantTierOption(Guid PlanId, string PlanName, Guid TierId, string TierName);

/// <summary>What the grant page shows about its coupon activity; null from <see cref="GrantService.ContextAsync"/> when it is not the merchant's.</summary>
public sealed record GrantContext(Guid ActivityId, string ActivityName, Guid CouponActivityId, IssueTrigger Trigger, CouponActivityStatus Status,
    int Budget, int Issued, IReadOnlyList<GrantTierOption> Tiers, IReadOnlyList<(Guid Id, string Name)> Plans);

public sealed record GrantStartResult(Guid? GrantId, Refusal? Refusal = null)
{
    public bool Succeeded => GrantId is not null;
}

/// <summary>Progress is reported here by the job, in-process; the page also polls, so another node's job shows too.</summary>
public interface IGrantProgress
{
    event Action<Guid>? GrantChanged;
    void Changed(Guid grantId);
}

public sealed class GrantProgress : IGrantProgress
{
    public event Action<Guid>? GrantChanged;
    public void Changed(Guid grantId) => GrantChanged?.Invoke(grantId);
}

/// <summary>Starts grants (to a tier, or to the members a CSV names), lists them and writes their error reports.</summary>
public sealed class GrantService(IDbContextFactory<MerchantDbContext> contexts, IBackgroundJobClient jobs, TimeProvider clock, IOptions<GrantOptions> options)
{
    public async Task<GrantContext?> ContextAsync(Guid activityId, Guid couponActivityId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var activity = await db.Activities.AsNoTracking().Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId, ct);
        var couponActivity = activity?.CouponActivities.SingleOrDefault(c => c.Id == couponActivityId);
        if (activity is null || couponActivity is null)
            return null;
        var plans = await db.MembershipPlans.AsNoTracking().Include(p => p.Tiers).Where(p => p.Status == PlanStatus.Active).OrderBy(p => p.Name).ToListAsync(ct);
        var tiers = plans.SelectMany(p => p.Tiers.Where(t => !p.IsPendingRevision(t)).Select(t => new GrantTierOption(p.Id, p.Name, t.Id, t.Name))).ToList();
        return new GrantContext(activity.Id, activity.Name, couponActivity.Id, couponActivity.Trigger, couponActivity.Status, couponActivity.Budget,
            couponActivity.Issued, tiers, [.. plans.Select(p => (p.Id, p.Name))]);
    }

    /// <summary>How many active members a tier grant would reach now.</summary>
    public async Task<int> CountTierAsync(Guid planId, Guid tierId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Memberships.CountAsync(m => m.PlanId == planId && m.TierId == tierId && m.Status == MembershipStatus.Active, ct);
    }

    public async Task<GrantStartResult> StartTierGrantAsync(Guid activityId, Guid couponActivityId, Guid planId, Guid tierId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            await EnsureGrantableAsync(db, activityId, couponActivityId, ct);
            var plan = await db.MembershipPlans.AsNoTracking().Include(p => p.Tiers).SingleOrDefaultAsync(p => p.Id == planId, ct);
            if (plan is null || plan.Tiers.All(t => t.Id != tierId))
                throw new DomainException("Grant.TierNotFound", "Choose a tier of one of your plans.");
            var count = await db.Memberships.CountAsync(m => m.PlanId == planId && m.TierId == tierId && m.Status == MembershipStatus.Active, ct);
            var grant = CouponGrant.ToTier(db.Scope.MerchantId!.Value, activityId, couponActivityId, planId, tierId, count, Actor(db), clock.GetUtcNow());
            db.Add(grant);
            await db.SaveChangesAsync(ct);
            Enqueue(grant);
            return new GrantStartResult(grant.Id);
        }
        catch (DomainException refusal)
        {
            return new GrantStartResult(null, refusal.Refusal);
        }
    }

    /// <summary>
    /// A grant to the members a CSV names: the rows are read streaming and stored with the grant in one transaction, so
    /// a resumed job reads the same rows. The matching (and its refusals) is the job's, batch by batch.
    /// </summary>
    public async Task<GrantStartResult> StartCsvGrantAsync(Guid activityId, Guid couponActivityId, Guid planId, string fileName, Stream csv, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            await EnsureGrantableAsync(db, activityId, couponActivityId, ct);
            if (!await db.MembershipPlans.AnyAsync(p => p.Id == planId, ct))
                throw new DomainException("Grant.PlanNotFound", "Choose one of your plans.");
            var merchantId = db.Scope.MerchantId!.Value;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Saved first with a provisional count so the rows' foreign key finds it; the count is set once the file is read.
            var grant = CouponGrant.ToCsv(merchantId, activityId, couponActivityId, planId, fileName, 1, Actor(db), clock.GetUtcNow());
            db.Add(grant);
            await db.SaveChangesAsync(ct);
            var rows = 0;
            var chunk = new List<CouponGrantRow>(5_000);
            await foreach (var (row, reference) in GrantCsv.ReadAsync(csv, options.Value.MaxRows, ct))
            {
                chunk.Add(CouponGrantRow.Of(merchantId, grant.Id, row, reference));
                rows++;
                if (chunk.Count == 5_000)
                {
                    await CouponBulkWriter.InsertRowsAsync(db, chunk, ct);
                    chunk.Clear();
                }
            }
            await CouponBulkWriter.InsertRowsAsync(db, chunk, ct);
            if (rows == 0)
                throw new DomainException("Grant.NoTargets", "Nobody would receive a coupon: the target has no members.");
            await db.Set<CouponGrant>().Where(g => g.Id == grant.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.Targeted, rows), ct);
            await transaction.CommitAsync(ct);
            Enqueue(grant);
            return new GrantStartResult(grant.Id);
        }
        catch (DomainException refusal)
        {
            return new GrantStartResult(null, refusal.Refusal);
        }
    }

    public async Task<CouponGrant?> FindAsync(Guid grantId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<CouponGrant>().AsNoTracking().SingleOrDefaultAsync(g => g.Id == grantId, ct);
    }

    public async Task<IReadOnlyList<CouponGrant>> ListAsync(Guid couponActivityId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<CouponGrant>().AsNoTracking().Where(g => g.CouponActivityId == couponActivityId)
            .OrderByDescending(g => g.RequestedAt).Take(50).ToListAsync(ct);
    }

    /// <summary>The error report (row, reference, reason in the reader's language) as UTF-8 CSV with a BOM, so Excel reads 中文; false when the grant is not the merchant's.</summary>
    public async Task<bool> WriteReportAsync(Guid grantId, Stream output, RefusalText text, IReadOnlyDictionary<string, string> headers, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Set<CouponGrant>().AnyAsync(g => g.Id == grantId, ct))
            return false;
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', headers["Row"], headers["Reference"], headers["Reason"]));
        var after = 0L;
        while (true)
        {
            var page = await db.Set<CouponGrantRefusal>().AsNoTracking().Where(r => r.GrantId == grantId && r.Id > after)
                .OrderBy(r => r.Id).Take(2_000).ToListAsync(ct);
            if (page.Count == 0)
                break;
            foreach (var r in page)
            {
                var arguments = JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Arguments) ?? [];
                var reason = text.Render(new Refusal(r.Code, r.EnglishText, arguments.ToDictionary(a => a.Key, a => (object?)a.Value)));
                await writer.WriteLineAsync(string.Join(',', r.Row, GrantCsv.Quote(r.Reference), GrantCsv.Quote(reason)));
            }
            after = page[^1].Id;
        }
        await writer.FlushAsync(ct);
        return true;
    }

    private async Task EnsureGrantableAsync(MerchantDbContext db, Guid activityId, Guid couponActivityId, CancellationToken ct)
    {
        var activity = await db.Activities.AsNoTracking().Include(a => a.CouponActivities).SingleOrDefaultAsync(a => a.Id == activityId, ct);
        var couponActivity = activity?.CouponActivities.SingleOrDefault(c => c.Id == couponActivityId)
            ?? throw new DomainException("Coupon.ActivityNotFound", "There is no such coupon activity.");
        if (couponActivity.Trigger != IssueTrigger.ManualGrant)
            throw new DomainException("Grant.NotManualGrant", "Only a coupon activity issued by manual grant can be granted by hand.");
        if (!activity!.IsRunningAt(clock.GetUtcNow()) || couponActivity.Status != CouponActivityStatus.Effective)
            throw new DomainException("Coupon.ActivityNotEffective", "Activity '{Activity}' is not issuing coupons now.", ("Activity", activity.Name));
    }

    private static string Actor(MerchantDbContext db) => db.Scope.UserName ?? "unknown";

    private void Enqueue(CouponGrant grant) =>
        // The sweeper starts a grant whose job was never enqueued (the database is the truth).
        jobs.Enqueue<CouponGrantJob>(j => j.RunAsync(grant.MerchantId, grant.Id, CancellationToken.None));
}
