using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Coupons;

/// <summary>One member of a batch and the key that makes their coupon idempotent (for a grant: <see cref="IssueKeys.Grant"/>).</summary>
public sealed record BatchMember(Guid MembershipId, string IssueKey, Guid? BenefitVersionId = null);

/// <param name="Refused">Members who got no coupon and why (budget, stock, per-member limit); a member who already held the key's coupon is counted in <see cref="AlreadyIssued"/>.</param>
public sealed record BatchIssueResult(IReadOnlyList<Coupon> Issued, int AlreadyIssued, IReadOnlyList<(Guid MembershipId, Refusal Refusal)> Refused);

/// <summary>
/// Issues to many members of one coupon activity in one transaction: skips members who already hold the key's coupon,
/// reserves budget and stock for the rest with one conditional update each (<see cref="ReserveAsync"/>), takes
/// per-member slots when the template limits them, draws codes checked against the database in one query, inserts
/// the coupons and gives back what it reserved but did not use. Grants call it batch by batch; a batch rerun after a
/// crash issues nothing twice (the issue keys).
/// </summary>
public sealed class CouponBatchIssuer(IDbContextFactory<MerchantDbContext> contexts, ICouponCodeRandom random)
{
    public Task<BatchIssueResult> IssueAsync(Guid couponActivityId, IReadOnlyList<BatchMember> members, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CouponStore.RetryOnUniqueViolationAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await IssueInAsync(db, couponActivityId, members, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    /// <summary>The batch on the caller's context and open transaction (a grant job that records its progress in the same commit).</summary>
    public async Task<BatchIssueResult> IssueInAsync(MerchantDbContext db, Guid couponActivityId, IReadOnlyList<BatchMember> members, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var merchantId = db.Scope.MerchantId ?? throw new InvalidOperationException("Issuing coupons needs a merchant in scope.");
        var wanted = members.DistinctBy(m => (m.MembershipId, m.IssueKey)).ToList();
        var held = await CouponStore.HoldersAsync(db, wanted.Select(m => (m.MembershipId, m.IssueKey)), cancellationToken);
        var candidates = wanted.Where(m => !held.Contains((m.MembershipId, m.IssueKey))).ToList();
        var refused = new List<(Guid, Refusal)>();
        if (candidates.Count == 0)
            return new BatchIssueResult([], held.Count, refused);

        var found = await CouponStore.CouponActivityAsync(db, couponActivityId, cancellationToken);
        if (found is not var (activity, couponActivity) || !activity.IsRunningAt(now) || couponActivity.Status != CouponActivityStatus.Effective)
            return new BatchIssueResult([], held.Count, [.. candidates.Select(m => (m.MembershipId, CouponStore.NotIssuing(found?.Activity.Name)))]);
        var version = (await CouponStore.VersionAsync(db, couponActivity.CouponTemplateVersionId, cancellationToken))!;
        var zone = LocalDays.Zone(await CouponStore.TimeZoneIdAsync(db, merchantId, cancellationToken));
        var terms = version.Terms;

        var reserved = await ReserveAsync(db, couponActivity.Id, version.Id, candidates.Count, cancellationToken);
        var issued = new List<Coupon>();
        var codes = await NewCodesAsync(db, terms.CodePattern, reserved.Count, cancellationToken);
        foreach (var member in candidates)
        {
            if (issued.Count == reserved.Count)
            {
                refused.Add((member.MembershipId, reserved.Shortage!));
                continue;
            }
            if (terms.PerMemberLimit is { } limit
                && !await CouponStore.TakeMemberSlotAsync(db, merchantId, member.MembershipId, version.CouponTemplateId, limit, cancellationToken))
            {
                refused.Add((member.MembershipId, CouponStore.MemberLimitReached(limit)));
                continue;
            }
            issued.Add(Coupon.Issue(merchantId, couponActivity, version, member.MembershipId, member.BenefitVersionId, member.IssueKey, codes[issued.Count], zone, now));
        }
        if (issued.Count < reserved.Count)
            await GiveBackAsync(db, couponActivity.Id, version.Id, reserved.Count - issued.Count, cancellationToken);
        if (issued.Count > 0)
        {
            db.Coupons.AddRange(issued);
            await CouponStore.CountDayAsync(db, merchantId, couponActivity.Id, LocalDays.DateOf(now, zone), issued.Count, 0, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var coupon in issued)
            db.Entry(coupon).State = EntityState.Detached;
        return new BatchIssueResult(issued, held.Count, refused);
    }

    /// <summary>How many of <paramref name="wanted"/> coupons the budget and stock allow, and why not more.</summary>
    public sealed record Reservation(int Count, Refusal? Shortage)
    {
        /// <summary>Up to <paramref name="wanted"/> of what <paramref name="room"/> leaves, less <paramref name="takenFromBudget"/> and <paramref name="takenFromStock"/>.</summary>
        public static Reservation Of(int wanted, Room room, int takenFromBudget = 0, int takenFromStock = 0)
        {
            var budgetLeft = Math.Max(0, room.Budget - room.BudgetIssued - takenFromBudget);
            var stockLeft = room.TotalStock is { } total ? Math.Max(0, total - room.StockIssued - takenFromStock) : int.MaxValue;
            var count = Math.Min(wanted, Math.Min(budgetLeft, stockLeft));
            return new Reservation(count, count == wanted ? null
                : budgetLeft <= stockLeft ? CouponStore.BudgetExhausted(room.Budget)
                : CouponStore.OutOfStock(room.TotalStock));
        }
    }

    /// <summary>A coupon activity's budget and its template version's stock (null: unlimited), and what each has issued.</summary>
    public sealed record Room(int Budget, int BudgetIssued, int? TotalStock, int StockIssued);

    public static async Task<Room> RoomAsync(MerchantDbContext db, Guid couponActivityId, Guid versionId, CancellationToken ct)
    {
        var budget = await db.Set<CouponActivity>().Where(c => c.Id == couponActivityId).Select(c => new { c.Budget, c.Issued }).SingleAsync(ct);
        var stock = await db.Set<CouponTemplateVersion>().Where(v => v.Id == versionId).Select(v => new { v.TotalStock, v.Issued }).SingleAsync(ct);
        return new Room(budget.Budget, budget.Issued, stock.TotalStock, stock.Issued);
    }

    /// <summary>
    /// Takes up to <paramref name="wanted"/> from the coupon activity's budget and the version's stock with updates
    /// conditional on what is left (the update that finds too little changes nothing and is retried with what is left).
    /// Call inside a transaction; what is not used is given back with <see cref="GiveBackAsync"/>.
    /// </summary>
    public static async Task<Reservation> ReserveAsync(MerchantDbContext db, Guid couponActivityId, Guid versionId, int wanted, CancellationToken ct)
    {
        while (true)
        {
            var reservation = Reservation.Of(wanted, await RoomAsync(db, couponActivityId, versionId, ct));
            var count = reservation.Count;
            if (count == 0)
                return reservation;
            var tookBudget = await db.Set<CouponActivity>()
                .Where(c => c.Id == couponActivityId && c.Issued + count <= c.Budget)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued + count), ct);
            if (tookBudget == 0)
                continue;
            var tookStock = await db.Set<CouponTemplateVersion>()
                .Where(v => v.Id == versionId && (v.TotalStock == null || v.Issued + count <= v.TotalStock))
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Issued, v => v.Issued + count), ct);
            if (tookStock == 1)
                return reservation;
            await db.Set<CouponActivity>().Where(c => c.Id == couponActivityId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued - count), ct);
        }
    }

    public static async Task GiveBackAsync(MerchantDbContext db, Guid couponActivityId, Guid versionId, int count, CancellationToken ct)
    {
        await db.Set<CouponActivity>().Where(c => c.Id == couponActivityId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Issued, c => c.Issued - count), ct);
        await db.Set<CouponTemplateVersion>().Where(v => v.Id == versionId).ExecuteUpdateAsync(s => s.SetProperty(v => v.Issued, v => v.Issued - count), ct);
    }

    /// <summary><paramref name="count"/> codes, different from each other and from every code of the merchant (one query per draw).</summary>
    public async Task<IReadOnlyList<string>> NewCodesAsync(MerchantDbContext db, CouponCodePattern pattern, int count, CancellationToken ct)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var draw = 0; codes.Count < count; draw++)
        {
            if (draw == CouponIssuer.CodeAttempts)
                throw CodesExhausted();
            var fresh = DrawCodes(pattern, count - codes.Count, codes);
            var taken = await db.Coupons.Where(c => fresh.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
            fresh.ExceptWith(taken);
            codes.UnionWith(fresh);
        }
        return [.. codes];
    }

    /// <summary><paramref name="count"/> codes different from each other and from <paramref name="avoid"/>; not checked against the database.</summary>
    public HashSet<string> DrawCodes(CouponCodePattern pattern, int count, IReadOnlySet<string>? avoid = null)
    {
        var fresh = new HashSet<string>(count, StringComparer.Ordinal);
        while (fresh.Count < count)
        {
            var code = pattern.Generate(random.Next);
            if (avoid?.Contains(code) != true)
                fresh.Add(code);
        }
        return fresh;
    }

    public static DomainException CodesExhausted() =>
        new("Coupon.CodesExhausted", "No free code was found for this template; lengthen its code pattern.");
}
