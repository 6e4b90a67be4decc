using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Grants;

public sealed record BulkIssueResult(int Issued, int AlreadyHad, IReadOnlyList<(Guid MembershipId, Refusal Refusal)> Refused);

/// <summary>
/// <see cref="CouponBatchIssuer"/>'s rules (reserve budget and stock with conditional updates, per-member slots, give
/// back what was not used) with the rows written by <see cref="CouponBulkWriter"/> instead of EF tracking: the hot path
/// of grants and of the monthly and birthday jobs. Who already holds the key, and which codes are taken, is not looked
/// up per batch: the writer skips those rows (the unique indexes decide), the few skipped are sorted out afterwards —
/// a holder counts as already had, a taken code is drawn again. Only a template with a per-member limit looks up the
/// holders first, so no slot is taken for them.
/// Runs on the caller's context and open transaction; the caller saves (its cursor goes in the same commit).
/// </summary>
public sealed class BulkCouponIssuer(CouponBatchIssuer batches)
{
    /// <param name="countsAtCommit">When given, budget, stock and the day's figure are taken there and written by the caller before its commit (the fulfilment); otherwise at once.</param>
    public async Task<BulkIssueResult> IssueInAsync(MerchantDbContext db, Guid couponActivityId, IReadOnlyList<BatchMember> members, DateTimeOffset now, CancellationToken ct,
        CouponCountsAtCommit? countsAtCommit = null)
    {
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Issuing coupons needs a merchant in scope.");
        var wanted = members.DistinctBy(m => (m.MembershipId, m.IssueKey)).ToList();
        if (wanted.Count == 0)
            return new BulkIssueResult(0, 0, []);
        var found = await CouponStore.CouponActivityAsync(db, couponActivityId, ct);
        if (found is not var (activity, couponActivity) || !activity.IsRunningAt(now) || couponActivity.Status != CouponActivityStatus.Effective)
            return new BulkIssueResult(0, 0, [.. wanted.Select(m => (m.MembershipId, CouponStore.NotIssuing(found?.Activity.Name)))]);
        var version = (await CouponStore.VersionAsync(db, couponActivity.CouponTemplateVersionId, ct))!;
        var zone = LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, merchantId, ct));
        var terms = version.Terms;

        var alreadyHad = 0;
        var candidates = wanted;
        if (terms.PerMemberLimit is not null)
        {
            var held = await CouponStore.HoldersAsync(db, wanted.Select(m => (m.MembershipId, m.IssueKey)), ct);
            candidates = [.. wanted.Where(m => !held.Contains((m.MembershipId, m.IssueKey)))];
            alreadyHad = wanted.Count - candidates.Count;
        }
        var refused = new List<(Guid, Refusal)>();
        var reserved = countsAtCommit is null
            ? await CouponBatchIssuer.ReserveAsync(db, couponActivity.Id, version.Id, candidates.Count, ct)
            : await countsAtCommit.ReserveAsync(db, couponActivity.Id, version.Id, candidates.Count, ct);
        var codes = new Queue<string>(batches.DrawCodes(terms.CodePattern, reserved.Count));
        var pending = new List<(BatchMember Member, Coupon Coupon)>(reserved.Count);
        foreach (var member in candidates)
        {
            if (pending.Count == reserved.Count)
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
            pending.Add((member, Issue(member, codes.Dequeue())));
        }

        var issued = 0;
        for (var draw = 0; pending.Count > 0; draw++)
        {
            if (draw == CouponIssuer.CodeAttempts)
                throw CouponBatchIssuer.CodesExhausted();
            var skipped = (await CouponBulkWriter.InsertNewAsync(db, [.. pending.Select(p => p.Coupon)], ct)).ToHashSet();
            issued += pending.Count - skipped.Count;
            if (skipped.Count == 0)
                break;
            var retry = pending.Where(p => skipped.Contains(p.Coupon)).ToList();
            var holders = await CouponStore.HoldersAsync(db, retry.Select(p => (p.Member.MembershipId, p.Member.IssueKey)), ct);
            // A holder found only now was given its coupon meanwhile; with a per-member limit its slot was taken above.
            if (terms.PerMemberLimit is not null && holders.Count > 0)
                throw new ConcurrentIssueException();
            alreadyHad += retry.Count(p => holders.Contains((p.Member.MembershipId, p.Member.IssueKey)));
            retry.RemoveAll(p => holders.Contains((p.Member.MembershipId, p.Member.IssueKey)));
            var fresh = new Queue<string>(batches.DrawCodes(terms.CodePattern, retry.Count));
            pending = [.. retry.Select(p => (p.Member, Issue(p.Member, fresh.Dequeue())))];
        }
        var day = LocalDays.DateOf(now, zone);
        if (countsAtCommit is not null)
        {
            countsAtCommit.GiveBack(couponActivity.Id, version.Id, reserved.Count - issued);
            countsAtCommit.CountDay(merchantId, couponActivity.Id, day, issued);
        }
        else
        {
            if (issued < reserved.Count)
                await CouponBatchIssuer.GiveBackAsync(db, couponActivity.Id, version.Id, reserved.Count - issued, ct);
            if (issued > 0)
                await CouponStore.CountDayAsync(db, merchantId, couponActivity.Id, day, issued, 0, ct);
        }
        return new BulkIssueResult(issued, alreadyHad, refused);

        Coupon Issue(BatchMember member, string code) =>
            Coupon.Issue(merchantId, couponActivity, version, member.MembershipId, member.BenefitVersionId, member.IssueKey, code, zone, now);
    }
}
