using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Grants;

public sealed record BulkIssueResult(int Issued, int AlreadyHad, IReadOnlyList<(Guid MembershipId, Refusal Refusal)> Refused);

/// <summary>
/// <see cref="CouponBatchIssuer"/>'s rules (skip who holds the key, reserve budget and stock with conditional updates,
/// per-member slots, codes checked in one query, give back what was not used) with the rows written by
/// <see cref="CouponBulkWriter"/> instead of EF tracking: the hot path of grants and of the monthly and birthday jobs.
/// Runs on the caller's context and open transaction; the caller saves (its cursor goes in the same commit).
/// </summary>
public sealed class BulkCouponIssuer(CouponBatchIssuer batches)
{
    public async Task<BulkIssueResult> IssueInAsync(MerchantDbContext db, Guid couponActivityId, IReadOnlyList<BatchMember> members, DateTimeOffset now, CancellationToken ct)
    {
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Issuing coupons needs a merchant in scope.");
        var wanted = members.DistinctBy(m => (m.MembershipId, m.IssueKey)).ToList();
        if (wanted.Count == 0)
            return new BulkIssueResult(0, 0, []);
        var memberIds = wanted.Select(m => m.MembershipId).Distinct().ToList();
        var keys = wanted.Select(m => m.IssueKey).Distinct().ToList();
        var held = (await db.Coupons.AsNoTracking()
                .Where(c => memberIds.Contains(c.MembershipId) && keys.Contains(c.IssueKey))
                .Select(c => new { c.MembershipId, c.IssueKey })
                .ToListAsync(ct))
            .Select(c => (c.MembershipId, c.IssueKey)).ToHashSet();
        var candidates = wanted.Where(m => !held.Contains((m.MembershipId, m.IssueKey))).ToList();
        var refused = new List<(Guid, Refusal)>();
        if (candidates.Count == 0)
            return new BulkIssueResult(0, held.Count, refused);

        var found = await CouponStore.CouponActivityAsync(db, couponActivityId, ct);
        if (found is not var (activity, couponActivity) || !activity.IsRunningAt(now) || couponActivity.Status != CouponActivityStatus.Effective)
            return new BulkIssueResult(0, held.Count, [.. candidates.Select(m => (m.MembershipId, CouponStore.NotIssuing(found?.Activity.Name)))]);
        var version = (await CouponStore.VersionAsync(db, couponActivity.CouponTemplateVersionId, ct))!;
        var zone = LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, merchantId, ct));
        var terms = version.Terms;

        var reserved = await CouponBatchIssuer.ReserveAsync(db, couponActivity.Id, version.Id, candidates.Count, ct);
        var codes = await batches.NewCodesAsync(db, terms.CodePattern, reserved.Count, ct);
        var issued = new List<Coupon>(reserved.Count);
        foreach (var member in candidates)
        {
            if (issued.Count == reserved.Count)
            {
                refused.Add((member.MembershipId, reserved.Shortage!));
                continue;
            }
            if (terms.PerMemberLimit is { } limit
                && !await CouponStore.TakeMemberSlotAsync(db, merchantId, member.MembershipId, version.CouponTemplateId, limit, ct))
            {
                refused.Add((member.MembershipId, CouponStore.MemberLimitReached(limit)));
                continue;
            }
            issued.Add(Coupon.Issue(merchantId, couponActivity, version, member.MembershipId, member.BenefitVersionId, member.IssueKey, codes[issued.Count], zone, now));
        }
        if (issued.Count < reserved.Count)
            await CouponBatchIssuer.GiveBackAsync(db, couponActivity.Id, version.Id, reserved.Count - issued.Count, ct);
        if (issued.Count > 0)
        {
            await CouponBulkWriter.InsertAsync(db, issued, ct);
            await CouponStore.CountDayAsync(db, merchantId, couponActivity.Id, LocalDays.DateOf(now, zone), issued.Count, 0, ct);
        }
        return new BulkIssueResult(issued.Count, held.Count, refused);
    }
}
