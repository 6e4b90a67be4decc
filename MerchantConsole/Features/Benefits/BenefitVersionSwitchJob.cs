using MerchantConsole.Data;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Features.Benefits.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Benefits;

/// <summary>
/// Recurring: a benefit version activated with a later effective date leaves the version in force issuing until that
/// day starts in the merchant's zone. Once it has, this job marks the versions it follows Superseded and ends their
/// coupon activities (and the activities they created, telling the feed) in one save per benefit. Idempotent: a version
/// already superseded is not due again. Two runs at once are safe: the benefit's concurrency stamp lets one save win
/// and the other change nothing.
/// </summary>
public sealed class BenefitVersionSwitchJob(ProviderContextOptions contexts, TimeProvider clock, ILogger<BenefitVersionSwitchJob> logger)
{
    public const string RecurringJobId = "benefit-version-switch";
    public const string Actor = SystemActors.Prefix + "benefits";

    /// <summary>Every quarter of an hour, so a day starting at any zone's midnight switches within minutes.</summary>
    public const string Cron = "*/15 * * * *";

    /// <summary>How many versions were superseded.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Only benefits with more than one Active version can have one to supersede.
        List<(Guid MerchantId, Guid BenefitId)> candidates;
        await using (var db = contexts.CreateAcrossMerchants(Actor))
            candidates = [.. (await db.Benefits.AsNoTracking()
                    .Where(b => b.Versions.Count(v => v.Status == BenefitVersionStatus.Active) > 1)
                    .Select(b => new { b.MerchantId, b.Id })
                    .ToListAsync(cancellationToken))
                .Select(b => (b.MerchantId, b.Id))];
        var total = 0;
        foreach (var merchant in candidates.GroupBy(c => c.MerchantId))
        {
            DateOnly today;
            await using (var db = contexts.CreateForMerchant(merchant.Key, Actor))
                today = await CouponBenefits.TodayAsync(db, merchant.Key, now, cancellationToken);
            foreach (var (_, benefitId) in merchant)
                total += await SwitchAsync(merchant.Key, benefitId, today, now, cancellationToken);
        }
        return total;
    }

    private async Task<int> SwitchAsync(Guid merchantId, Guid benefitId, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.CreateForMerchant(merchantId, Actor);
        var benefit = await db.Benefits.Include(b => b.Versions).SingleOrDefaultAsync(b => b.Id == benefitId && b.MerchantId == merchantId, ct);
        if (benefit is null)
            return 0;
        var superseded = benefit.SupersedeDue(today, now);
        if (superseded.Count == 0)
            return 0;
        foreach (var old in superseded)
            await BenefitActivationWorkflow.EndVersionAsync(db, merchantId, benefit, old, now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            return superseded.Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another run, an activation or a retirement saved the benefit first; the next run looks again.
            logger.LogInformation("Benefit {Benefit} changed while its versions were being switched; left for the next run.", benefitId);
            return 0;
        }
    }
}
