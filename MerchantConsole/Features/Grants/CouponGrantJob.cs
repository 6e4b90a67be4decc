using System.Text.Json;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Grants;

public sealed class GrantOptions
{
    public const string Section = "Grants";
    /// <summary>Members per batch: one transaction, one cursor save.</summary>
    public int BatchSize { get; set; } = 2_000;
    /// <summary>How long a running job holds its grant without finishing a batch before the sweeper takes it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public string SweepCron { get; set; } = "* * * * *";
    public long MaxUploadBytes { get; set; } = 64 * 1024 * 1024;
    public int MaxRows { get; set; } = 1_000_000;
    /// <summary>Test only (honoured in the Testing environment alone): a job waits this long after its first batch, so a test can kill its node there.</summary>
    public TimeSpan TestPauseAfterFirstBatch { get; set; }
}

/// <summary>A test seam: called after each batch's commit (throw to play a process dying mid-way). No-op in production.</summary>
public interface IGrantBatchHook
{
    void BatchCommitted(Guid grantId, int batchNumber);
}

public sealed class NoGrantBatchHook : IGrantBatchHook
{
    public void BatchCommitted(Guid grantId, int batchNumber) { }
}

/// <summary>The two-node tests' hook (<see cref="GrantOptions.TestPauseAfterFirstBatch"/>): holds the job after its first batch.</summary>
public sealed class PausingGrantBatchHook(TimeSpan pause, ILogger<PausingGrantBatchHook> logger) : IGrantBatchHook
{
    public void BatchCommitted(Guid grantId, int batchNumber)
    {
        if (batchNumber != 1)
            return;
        logger.LogWarning("Injected pause: grant {GrantId} waits {Pause} after its first batch.", grantId, pause);
        Thread.Sleep(pause);
    }
}

/// <summary>
/// Runs a grant batch by batch (ARCHITECTURE.md, "Grants and bulk issuance"). A job first claims the grant with a
/// conditional update (Queued, or Running with its lease run out), so two jobs never run one grant; each batch's
/// coupons, refusals, totals and cursor are one commit, so a rerun continues after the last commit and the issue key
/// <see cref="Domain.Coupons.IssueKeys.Grant"/> makes a replayed batch issue nothing twice.
/// </summary>
public sealed class CouponGrantJob(ProviderContextOptions contexts, BulkCouponIssuer issuer, TimeProvider clock, IOptions<GrantOptions> options,
    IGrantBatchHook hook, IGrantProgress progress)
{
    public const string Actor = SystemActors.Prefix + "grants";
    public const string SweeperJobId = "coupon-grant-sweeper";

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid merchantId, Guid grantId, CancellationToken cancellationToken)
    {
        var lease = options.Value.Lease;
        await using (var db = contexts.CreateForMerchant(merchantId, Actor))
        {
            var now = clock.GetUtcNow();
            var claimed = await db.Set<CouponGrant>()
                .Where(g => g.Id == grantId && (g.Status == GrantStatus.Queued || (g.Status == GrantStatus.Running && (g.LeaseUntil == null || g.LeaseUntil < now))))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(g => g.Status, GrantStatus.Running)
                    .SetProperty(g => g.StartedAt, g => g.StartedAt ?? now)
                    .SetProperty(g => g.LeaseUntil, now + lease), cancellationToken);
            if (claimed == 0)
                return;
        }
        var batchNumber = 0;
        try
        {
            while (!await RunBatchAsync(merchantId, grantId, cancellationToken))
            {
                progress.Changed(grantId);
                hook.BatchCommitted(grantId, ++batchNumber);
            }
            progress.Changed(grantId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await using var db = contexts.CreateForMerchant(merchantId, Actor);
            if (e is DomainException refusal)
            {
                // A problem no retry fixes (the template's codes ran out): the grant ends with the reason.
                var grant = await db.Set<CouponGrant>().SingleAsync(g => g.Id == grantId, CancellationToken.None);
                grant.Fail(refusal.Refusal.English, clock.GetUtcNow());
                WriteAudit(db, grant);
                await db.SaveChangesAsync(CancellationToken.None);
                progress.Changed(grantId);
                return;
            }
            // Let the retry (or the sweeper) take the grant over at once.
            await db.Set<CouponGrant>().Where(g => g.Id == grantId && g.Status == GrantStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(g => g.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
    }

    /// <summary>One batch in one transaction; true when the grant is finished.</summary>
    private async Task<bool> RunBatchAsync(Guid merchantId, Guid grantId, CancellationToken ct)
    {
        var size = Math.Max(1, options.Value.BatchSize);
        return await CouponStore.RetryOnUniqueViolationAsync(async () =>
        {
            await using var db = contexts.CreateForMerchant(merchantId, Actor);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var grant = await db.Set<CouponGrant>().SingleAsync(g => g.Id == grantId, ct);
            if (grant.Status != GrantStatus.Running)
                return true;
            var targets = grant.TargetKind == GrantTargetKind.Tier
                ? await TierBatchAsync(db, grant, size, ct)
                : await CsvBatchAsync(db, grant, size, ct);
            if (targets.Count == 0)
            {
                grant.Complete(now);
                WriteAudit(db, grant);
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return true;
            }
            var key = Domain.Coupons.IssueKeys.Grant(grant.Id);
            var matched = targets.Where(t => t.MembershipId is not null).ToList();
            var result = await issuer.IssueInAsync(db, grant.CouponActivityId,
                [.. matched.Select(t => new BatchMember(t.MembershipId!.Value, key))], now, ct);
            var refusedMembers = result.Refused.ToDictionary(r => r.MembershipId, r => r.Refusal);
            var refusals = targets
                .Select(t => (t, Refusal: t.Refusal ?? (t.MembershipId is { } id && refusedMembers.TryGetValue(id, out var r) ? r : null)))
                .Where(x => x.Refusal is not null)
                .Select(x => CouponGrantRefusal.Of(merchantId, grant.Id, x.t.Row, x.t.Reference, x.Refusal!.Code, x.Refusal.EnglishText, ArgumentsOf(x.Refusal)))
                .ToList();
            db.Set<CouponGrantRefusal>().AddRange(refusals);
            // Duplicate rows of one member in a file count as already had: the key gave them their coupon once.
            var alreadyHad = targets.Count - result.Issued - refusals.Count;
            grant.RecordBatch(result.Issued, alreadyHad, refusals.Count, targets[^1].MembershipIdCursor, targets[^1].Row, now + options.Value.Lease);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return false;
        });
    }

    private sealed record Target(int Row, string Reference, Guid? MembershipId, Refusal? Refusal, Guid? MembershipIdCursor = null);

    private static async Task<List<Target>> TierBatchAsync(MerchantDbContext db, CouponGrant grant, int size, CancellationToken ct)
    {
        var after = grant.LastMembershipId;
        var query = db.Memberships.AsNoTracking().Where(m => m.PlanId == grant.PlanId && m.TierId == grant.TierId && m.Status == MembershipStatus.Active);
        if (after is { } cursor)
            query = query.Where(m => m.Id.CompareTo(cursor) > 0);
        var members = await query.OrderBy(m => m.Id).Take(size).Select(m => new { m.Id, m.CardNumber }).ToListAsync(ct);
        var row = grant.Done;
        return [.. members.Select(m => new Target(++row, m.CardNumber, m.Id, null, m.Id))];
    }

    private static async Task<List<Target>> CsvBatchAsync(MerchantDbContext db, CouponGrant grant, int size, CancellationToken ct)
    {
        var rows = await db.Set<CouponGrantRow>().AsNoTracking()
            .Where(r => r.GrantId == grant.Id && r.Row > grant.LastRow)
            .OrderBy(r => r.Row).Take(size).ToListAsync(ct);
        if (rows.Count == 0)
            return [];
        var matches = await GrantReferences.MatchAsync(db, grant.PlanId, rows.Select(r => r.Reference).ToList(), ct);
        return [.. rows.Select(r =>
        {
            var match = matches[r.Reference];
            return new Target(r.Row, r.Reference, match.MembershipId, match.Refusal);
        })];
    }

    private static string ArgumentsOf(Refusal refusal) =>
        JsonSerializer.Serialize(refusal.Arguments.ToDictionary(a => a.Key, a => a.Value switch
        {
            null => null,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var v => v.ToString(),
        }));

    /// <summary>One entry for the whole grant (not one per coupon): who asked, what, and the totals.</summary>
    private static void WriteAudit(MerchantDbContext db, CouponGrant grant) =>
        db.AuditEntries.Add(new AuditEntry
        {
            MerchantId = grant.MerchantId,
            At = grant.FinishedAt ?? DateTimeOffset.UtcNow,
            UserName = grant.RequestedBy,
            EntityType = nameof(CouponGrant),
            EntityId = grant.Id.ToString(),
            AggregateType = "Activity",
            AggregateId = grant.ActivityId.ToString(),
            Action = grant.Status == GrantStatus.Completed ? "GrantCompleted" : "GrantFailed",
            OperationId = Guid.NewGuid(),
            Changes = AuditEntry.WriteChanges(
            [
                new AuditChange("CouponActivityId", null, grant.CouponActivityId.ToString(), "Reference"),
                new AuditChange("Target", null, grant.TargetKind == GrantTargetKind.Tier ? $"tier:{grant.TierId}" : $"csv:{grant.FileName}"),
                new AuditChange("Targeted", null, grant.Targeted.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("Issued", null, grant.Issued.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("AlreadyHad", null, grant.AlreadyHad.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("Refused", null, grant.Refused.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]),
        });

    /// <summary>Recurring: re-enqueues grants left Queued or Running by a process that died (their lease ran out).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queuedBefore = now - options.Value.Lease;
        await using var db = contexts.CreateAcrossMerchants(Actor);
        var stale = await db.Set<CouponGrant>().AsNoTracking()
            .Where(g => (g.Status == GrantStatus.Queued && g.RequestedAt < queuedBefore)
                || (g.Status == GrantStatus.Running && (g.LeaseUntil == null || g.LeaseUntil < now)))
            .Select(g => new { g.MerchantId, g.Id })
            .ToListAsync(cancellationToken);
        foreach (var grant in stale)
            await RunAsync(grant.MerchantId, grant.Id, cancellationToken);
        return stale.Count;
    }
}
