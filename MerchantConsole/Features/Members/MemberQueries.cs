using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Members;

/// <summary>
/// A page of the member list: filters, the page size, and where the page starts — the first page, the page after or
/// before a row (keyset), or a page number to jump to.
/// </summary>
public sealed record MemberListQuery(string? Search, Guid? PlanId, Guid? TierId, MembershipStatus? Status, int PageSize,
    MemberCursor? After = null, MemberCursor? Before = null, int? JumpToPage = null);

/// <summary>A row's place in the list's order: newest first, card number (unique per merchant) breaking ties.</summary>
public sealed record MemberCursor(DateTimeOffset JoinedAt, string CardNumber);

public sealed record MemberRow(Guid Id, string CardNumber, string Name, string Phone, string PlanName, string TierName, string TierColour,
    MembershipStatus Status, DateTimeOffset JoinedAt, DateTimeOffset? ExpiresAt)
{
    public MemberCursor Cursor => new(JoinedAt, CardNumber);
}

/// <summary>
/// A page and the count the grid shows. <see cref="TotalIsAtLeast"/>: a search matched more than
/// <see cref="MemberQueries.SearchCountCap"/> members and the count says "at least" (narrow the search to count them).
/// </summary>
public sealed record MemberListResult(IReadOnlyList<MemberRow> Rows, long Total, bool TotalIsAtLeast, bool HasPrevious, bool HasNext);

public sealed record TierOption(Guid Id, string Name, string Colour, Guid? ManualChannelId);

/// <summary>A plan as the list's filter and the enrol dialog offer it; <see cref="CanEnrol"/> when staff may enrol into it now.</summary>
public sealed record PlanOption(Guid Id, string Name, PlanStatus Status, IReadOnlyList<TierOption> Tiers)
{
    public bool CanEnrol => Status == PlanStatus.Active && Tiers.Any(t => t.ManualChannelId is not null);
}

public sealed record CustomerFound(Guid Id, string Phone, string Name, DateOnly? Birthday, string? ExternalRef);

/// <summary>The member page's read model.</summary>
public sealed record MemberDetails(Membership Membership, Customer Customer, string PlanName, string TierName, string TierColour,
    JoinChannelType ChannelType, string? CardTemplateLabel, Guid? CardTemplateId)
{
    /// <summary>The face of the card as issued (the template version it was issued under); null when that version is gone.</summary>
    public DisplayDesign? CardDesign { get; init; }
    public string Currency { get; init; } = "CNY";
    /// <summary>The plan's live tiers, lowest rank first: what the change-tier dialog offers.</summary>
    public IReadOnlyList<TierOption> Tiers { get; init; } = [];
    public string? OverrideTierName { get; init; }
    public IReadOnlyList<MemberPlanRow> OtherMemberships { get; init; } = [];
    public IReadOnlyList<MemberCouponRow> Coupons { get; init; } = [];
    public IReadOnlyList<MemberOrderRow> Orders { get; init; } = [];
    public IReadOnlyList<TierHistoryRow> TierHistory { get; init; } = [];
}

public sealed record MemberPlanRow(Guid Id, string PlanName, string TierName, string TierColour, MembershipStatus Status, string CardNumber);

public sealed record MemberCouponRow(string Code, CouponStatus Status, DateTimeOffset IssuedAt, DateTimeOffset ValidUntil, DateTimeOffset? RedeemedAt);

public sealed record MemberOrderRow(Guid Id, DateTimeOffset CreatedAt, Money Price, OrderStatus Status);

public sealed record TierHistoryRow(DateTimeOffset At, string FromTier, string ToTier, TierChangeReason Reason, TierOverrideKind? OverrideKind,
    string? OverrideTier, DateTimeOffset? OverrideUntil, string? Note, string By);

/// <summary>
/// Reads behind the member list, the enrol dialog and the member page, each on its own context from the scoped factory,
/// so they only ever see the signed-in merchant's members.
/// </summary>
public sealed partial class MemberQueries(IDbContextFactory<MerchantDbContext> contexts)
{
    public const int MaxSearchLength = 100;
    /// <summary>How many coupons, orders and history rows the member page lists, newest first.</summary>
    public const int MaxListed = 50;
    public const int MaxPageSize = 100;
    /// <summary>A search counts its matches exactly up to this many; beyond, the grid says "more than".</summary>
    public const int SearchCountCap = 2_000;

    /// <summary>
    /// Newest first, paged by keyset (ARCHITECTURE.md, Members): a page is a range read of <c>IX_Memberships_List</c>
    /// after or before a row, whatever its depth; jumping to a page number walks that index's keys only. Unsearched
    /// counts come from <c>MemberCounts</c>. A search is a prefix of a phone (as stored: <c>+86</c> dropped) or of a card
    /// number when written like a number, else a prefix of the name; each is a range read of its own index.
    /// </summary>
    public Task<MemberListResult> ListAsync(MemberListQuery query, CancellationToken cancellationToken = default) =>
        ListAsync(query, MaxPageSize, cancellationToken);

    /// <summary>The same with larger pages for background work (the CSV export).</summary>
    internal async Task<MemberListResult> ListAsync(MemberListQuery query, int maxPageSize, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(query.PageSize, 1, maxPageSize);
        await using var reads = new GridReads(contexts);
        var search = ParseSearch(query.Search);
        return search is null
            ? await ListAllAsync(reads, query, size, cancellationToken)
            : await SearchAsync(reads, query, search, size, cancellationToken);
    }

    // The grid's reads are compiled once per model (EF.CompileAsyncQuery, CompiledPerModel): a page costs its one statement, not EF's translation.
    // An optional filter is written "p == null || column == p": EF drops the test from the SQL by the parameter's value.

    /// <summary>
    /// An unsearched page: the first, or the rows older than a cursor, cut on <c>IX_Memberships_List</c> and only then joined,
    /// with the maintained count (<c>MemberCounts</c>) in the same statement.
    /// </summary>
    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, DateTimeOffset?, string?, int, IAsyncEnumerable<CountedRow>>> OlderPage =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, DateTimeOffset? j, string? c, int take) =>
            from m in db.Memberships.AsNoTracking()
                .Where(m => (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status))
                .Where(m => j == null || (m.JoinedAt <= j && (m.JoinedAt < j || string.Compare(m.CardNumber, c) < 0)))
                .OrderByDescending(m => m.JoinedAt).ThenByDescending(m => m.CardNumber).Take(take)
            join cu in db.Customers.AsNoTracking() on m.CustomerId equals cu.Id
            join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
            join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
            select new CountedRow(new MemberRow(m.Id, m.CardNumber, cu.Name, cu.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt),
                db.MemberCounts.Where(x => (planId == null || x.PlanId == planId) && (tierId == null || x.TierId == tierId) && (status == null || x.Status == status))
                    .Sum(x => x.Count))));

    /// <summary>The rows newer than a cursor (the page before it), read upwards.</summary>
    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, DateTimeOffset, string, int, IAsyncEnumerable<CountedRow>>> NewerPage =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, DateTimeOffset j, string c, int take) =>
            from m in db.Memberships.AsNoTracking()
                .Where(m => (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status))
                .Where(m => m.JoinedAt >= j && (m.JoinedAt > j || string.Compare(m.CardNumber, c) > 0))
                .OrderBy(m => m.JoinedAt).ThenBy(m => m.CardNumber).Take(take)
            join cu in db.Customers.AsNoTracking() on m.CustomerId equals cu.Id
            join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
            join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
            select new CountedRow(new MemberRow(m.Id, m.CardNumber, cu.Name, cu.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt),
                db.MemberCounts.Where(x => (planId == null || x.PlanId == planId) && (tierId == null || x.TierId == tierId) && (status == null || x.Status == status))
                    .Sum(x => x.Count))));

    /// <summary>The row just above page N: a walk over the list index's keys (no table rows, no joins).</summary>
    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, int, Task<MemberCursor?>>> RowAbovePage =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, int skip) =>
            db.Memberships.AsNoTracking()
                .Where(m => (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status))
                .OrderByDescending(m => m.JoinedAt).ThenByDescending(m => m.CardNumber)
                .Select(m => new MemberCursor(m.JoinedAt, m.CardNumber)).Skip(skip).FirstOrDefault()));

    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, Task<long>>> MaintainedCount =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status) =>
            db.MemberCounts.Where(x => (planId == null || x.PlanId == planId) && (tierId == null || x.TierId == tierId) && (status == null || x.Status == status))
                .Sum(x => x.Count)));

    private sealed record CountedRow(MemberRow Row, long Total);

    /// <summary>
    /// Newest first, by keyset (ARCHITECTURE.md, Members): first, next and previous pages are one statement each, count
    /// included; a page number walks the index's keys to the row above that page, then reads it as a next page.
    /// </summary>
    private static async Task<MemberListResult> ListAllAsync(GridReads reads, MemberListQuery query, int size, CancellationToken cancellationToken)
    {
        var (plan, tier, status) = (query.PlanId, query.TierId, query.Status);
        List<CountedRow> read;
        bool hasPrevious, hasNext;
        if (query.Before is { } before)
        {
            read = await reads.NewerPageAsync(plan, tier, status, before, size + 1, cancellationToken);
            (hasPrevious, hasNext) = (read.Count > size, true);
            read = read.OrderBy(r => r.Row.JoinedAt).ThenBy(r => r.Row.CardNumber, StringComparer.Ordinal).Take(size).ToList();
        }
        else
        {
            var from = query.After;
            if (from is null && query.JumpToPage is > 0 and var pageNumber)
            {
                var db = await reads.ContextAsync(cancellationToken);
                from = await RowAbovePage.For(db)(db, plan, tier, status, (int)Math.Min(int.MaxValue, (long)pageNumber * size - 1));
                if (from is null)
                    return new MemberListResult([], await reads.MaintainedCountAsync(plan, tier, status, cancellationToken), false, true, false);
            }
            read = await reads.OlderPageAsync(plan, tier, status, from, size + 1, cancellationToken);
            (hasPrevious, hasNext) = (from is not null, read.Count > size);
        }
        var rows = NewestFirst(read.Select(r => r.Row)).Take(size).ToList();
        // A page past the end has no row to carry the count; a first page without rows is an empty list.
        var total = read.Count > 0 ? read[0].Total
            : query.After is null && query.Before is null && query.JumpToPage is not > 0 ? 0
            : await reads.MaintainedCountAsync(plan, tier, status, cancellationToken);
        return new MemberListResult(rows, total, false, hasPrevious, hasNext);
    }

    /// <summary>
    /// A digit search's matches as whole rows, unordered, at most <c>take</c> of each kind: the card numbers in the range,
    /// then the phones. Two statements, each a range read of its own index; one statement with <c>card IN (…) OR customer IN
    /// (…)</c> made PostgreSQL scan every membership, and EF does not translate a set operation over these joins.
    /// When they are all, the page and its count follow.
    /// </summary>
    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, string, string, int, IAsyncEnumerable<MemberRow>>> CardRows =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, string cardLo, string cardHi, int take) =>
            from m in db.Memberships.AsNoTracking()
                .Where(m => string.Compare(m.CardNumber, cardLo) >= 0 && string.Compare(m.CardNumber, cardHi) < 0)
                .Where(m => (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status))
                .Take(take)
            join cu in db.Customers.AsNoTracking() on m.CustomerId equals cu.Id
            join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
            join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
            select new MemberRow(m.Id, m.CardNumber, cu.Name, cu.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt)));

    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, string, string, int, IAsyncEnumerable<MemberRow>>> PhoneRows =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, string phoneLo, string phoneHi, int take) =>
            (from cu in db.Customers.AsNoTracking()
             where string.Compare(cu.Phone, phoneLo) >= 0 && string.Compare(cu.Phone, phoneHi) < 0
             join m in db.Memberships.AsNoTracking() on cu.Id equals m.CustomerId
             where (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status)
             join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
             join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
             select new MemberRow(m.Id, m.CardNumber, cu.Name, cu.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt))
            .Take(take)));

    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, string, int, IAsyncEnumerable<MemberRow>>> NameRows =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, string pattern, int take) =>
            (from cu in db.Customers.AsNoTracking()
             where EF.Functions.Like(cu.Name, pattern, LikePattern.Escape)
             join m in db.Memberships.AsNoTracking() on cu.Id equals m.CustomerId
             where (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status)
             join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
             join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
             select new MemberRow(m.Id, m.CardNumber, cu.Name, cu.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt))
            .Take(take)));

    /// <summary>A digit search's matches as keys, at most <c>take</c> of each kind, each a range read of its own index.</summary>
    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, string, string, int, IAsyncEnumerable<MatchKey>>> CardKeys =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, string cardLo, string cardHi, int take) =>
            db.Memberships.AsNoTracking()
                .Where(m => string.Compare(m.CardNumber, cardLo) >= 0 && string.Compare(m.CardNumber, cardHi) < 0)
                .Where(m => (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status))
                .Take(take)
                .Select(m => new MatchKey(m.Id, m.JoinedAt, m.CardNumber))));

    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, string, string, int, IAsyncEnumerable<MatchKey>>> PhoneKeys =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, string phoneLo, string phoneHi, int take) =>
            (from cu in db.Customers.AsNoTracking()
             where string.Compare(cu.Phone, phoneLo) >= 0 && string.Compare(cu.Phone, phoneHi) < 0
             join m in db.Memberships.AsNoTracking() on cu.Id equals m.CustomerId
             where (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status)
             select new MatchKey(m.Id, m.JoinedAt, m.CardNumber))
            .Take(take)));

    private static readonly CompiledPerModel<Func<MerchantDbContext, Guid?, Guid?, MembershipStatus?, string, int, IAsyncEnumerable<MatchKey>>> NameKeys =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, Guid? planId, Guid? tierId, MembershipStatus? status, string pattern, int take) =>
            (from cu in db.Customers.AsNoTracking()
             where EF.Functions.Like(cu.Name, pattern, LikePattern.Escape)
             join m in db.Memberships.AsNoTracking() on cu.Id equals m.CustomerId
             where (planId == null || m.PlanId == planId) && (tierId == null || m.TierId == tierId) && (status == null || m.Status == status)
             select new MatchKey(m.Id, m.JoinedAt, m.CardNumber))
            .Take(take)));

    /// <summary>The rows of a page of search matches already cut in memory: one joined read by their ids.</summary>
    private static readonly CompiledPerModel<Func<MerchantDbContext, List<Guid>, IAsyncEnumerable<MemberRow>>> RowsById =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db, List<Guid> ids) =>
            from m in db.Memberships.AsNoTracking()
            where ids.Contains(m.Id)
            join cu in db.Customers.AsNoTracking() on m.CustomerId equals cu.Id
            join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
            join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
            select new MemberRow(m.Id, m.CardNumber, cu.Name, cu.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt)));

    private sealed record MatchKey(Guid Id, DateTimeOffset JoinedAt, string CardNumber);

    /// <summary>
    /// A search: a page's worth of matches is read whole first (a card number or a whole phone is one statement, its count the
    /// rows read); more matches are read as keys up to <see cref="SearchCountCap"/>, counted exactly and paged in memory,
    /// then the page's rows joined; beyond the cap they are dense enough for the ordered read of the list to find a page fast.
    /// </summary>
    private static async Task<MemberListResult> SearchAsync(GridReads reads, MemberListQuery query, MemberSearch search, int size,
        CancellationToken cancellationToken)
    {
        var (plan, tier, status) = (query.PlanId, query.TierId, query.Status);
        List<MemberRow> few;
        if (search.NamePattern is { } pattern)
        {
            var named = await reads.ContextAsync(cancellationToken);
            few = await ToListAsync(NameRows.For(named)(named, plan, tier, status, pattern, size + 1), cancellationToken);
        }
        else
            few = await reads.DigitRowsAsync(plan, tier, status, search, size + 1, cancellationToken);
        var distinct = few.DistinctBy(r => r.Id).ToList();
        if (few.Count <= size)
        {
            var (page, hasPrevious, hasNext) = Slice(NewestFirst(distinct), r => r.Cursor, query, size);
            return new MemberListResult(page, distinct.Count, false, hasPrevious, hasNext);
        }

        var db = await reads.ContextAsync(cancellationToken);

        var keys = new Dictionary<Guid, MatchKey>();
        var matched = search.NamePattern is { } namePattern
            ? await ToListAsync(NameKeys.For(db)(db, plan, tier, status, namePattern, SearchCountCap + 1), cancellationToken)
            : [.. await ToListAsync(CardKeys.For(db)(db, plan, tier, status, search.CardLo!, search.CardHi!, SearchCountCap + 1), cancellationToken),
                .. await ToListAsync(PhoneKeys.For(db)(db, plan, tier, status, search.PhoneLo!, search.PhoneHi!, SearchCountCap + 1), cancellationToken)];
        foreach (var key in matched)
            keys.TryAdd(key.Id, key);
        if (keys.Count <= SearchCountCap)
        {
            var ordered = keys.Values.OrderByDescending(k => k.JoinedAt).ThenByDescending(k => k.CardNumber, StringComparer.Ordinal).ToList();
            var (page, hasPrevious, hasNext) = Slice(ordered, k => new MemberCursor(k.JoinedAt, k.CardNumber), query, size);
            var rows = page.Count == 0 ? [] : NewestFirst(await ToListAsync(RowsById.For(db)(db, page.Select(k => k.Id).ToList()), cancellationToken));
            return new MemberListResult(rows, keys.Count, false, hasPrevious, hasNext);
        }
        var (densePage, densePrevious, denseNext) = await PageAsync(db, search.Matching(db, Filtered(db, query)), query, size, cancellationToken);
        return new MemberListResult(densePage, SearchCountCap, true, densePrevious, denseNext);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken))
            list.Add(item);
        return list;
    }

    private static IQueryable<Membership> Filtered(MerchantDbContext db, MemberListQuery query)
    {
        var memberships = db.Memberships.AsNoTracking();
        if (query.PlanId is { } planId)
            memberships = memberships.Where(m => m.PlanId == planId);
        if (query.TierId is { } tierId)
            memberships = memberships.Where(m => m.TierId == tierId);
        if (query.Status is { } status)
            memberships = memberships.Where(m => m.Status == status);
        return memberships;
    }

    /// <summary>One page of a dense search in the list's order, by keyset after/before a row, or by page number.</summary>
    private static async Task<(List<MemberRow> Page, bool HasPrevious, bool HasNext)> PageAsync(MerchantDbContext db, IQueryable<Membership> source,
        MemberListQuery query, int size, CancellationToken cancellationToken)
    {
        var hasPrevious = false;
        if (query.Before is { } before)
        {
            // The page before a row: read upwards from it, then turn the rows round.
            var (j, c) = (before.JoinedAt, before.CardNumber);
            var up = NewestFirst(await Joined(db, source
                    .Where(m => m.JoinedAt >= j && (m.JoinedAt > j || string.Compare(m.CardNumber, c) > 0))
                    .OrderBy(m => m.JoinedAt).ThenBy(m => m.CardNumber).Take(size + 1))
                .ToListAsync(cancellationToken));
            var more = up.Count > size;
            return (up.Skip(up.Count - Math.Min(size, up.Count)).ToList(), more, true);
        }
        MemberCursor? from = query.After;
        var inclusive = false;
        if (from is null && query.JumpToPage is > 0 and var pageNumber)
        {
            var first = await source.OrderByDescending(m => m.JoinedAt).ThenByDescending(m => m.CardNumber)
                .Select(m => new { m.JoinedAt, m.CardNumber }).Skip((int)Math.Min(int.MaxValue, (long)pageNumber * size))
                .FirstOrDefaultAsync(cancellationToken);
            if (first is null)
                return ([], true, false);
            from = new MemberCursor(first.JoinedAt, first.CardNumber);
            inclusive = true;
            hasPrevious = true;
        }
        var rows = source;
        if (from is { } after)
        {
            var (j, c) = (after.JoinedAt, after.CardNumber);
            rows = inclusive
                ? rows.Where(m => m.JoinedAt <= j && (m.JoinedAt < j || string.Compare(m.CardNumber, c) <= 0))
                : rows.Where(m => m.JoinedAt <= j && (m.JoinedAt < j || string.Compare(m.CardNumber, c) < 0));
            hasPrevious = true;
        }
        var page = NewestFirst(await Joined(db, rows.OrderByDescending(m => m.JoinedAt).ThenByDescending(m => m.CardNumber).Take(size + 1))
            .ToListAsync(cancellationToken));
        var hasNext = page.Count > size;
        return (page.Take(size).ToList(), hasPrevious, hasNext);
    }

    /// <summary>
    /// A page's memberships with their customer, plan and tier: the page is cut first (the subquery with its LIMIT), then
    /// each of its rows joined by primary key, so the join costs a page's rows, not the list's.
    /// </summary>
    private static IQueryable<MemberRow> Joined(MerchantDbContext db, IQueryable<Membership> page) =>
        from m in page
        join c in db.Customers.AsNoTracking() on m.CustomerId equals c.Id
        join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
        join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
        select new MemberRow(m.Id, m.CardNumber, c.Name, c.Phone, p.Name, t.Name, t.Colour, m.Status, m.JoinedAt, m.ExpiresAt);

    private static List<MemberRow> NewestFirst(IEnumerable<MemberRow> rows) =>
        rows.OrderByDescending(r => r.JoinedAt).ThenByDescending(r => r.CardNumber, StringComparer.Ordinal).ToList();

    /// <summary>The same paging over matches already in memory, newest first (a search's few matches).</summary>
    private static (List<T> Page, bool HasPrevious, bool HasNext) Slice<T>(List<T> ordered, Func<T, MemberCursor> cursorOf, MemberListQuery query, int size)
    {
        int Compare(T item, MemberCursor c)
        {
            var k = cursorOf(item);
            var byTime = c.JoinedAt.CompareTo(k.JoinedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(c.CardNumber, k.CardNumber);
        }
        int start;
        if (query.Before is { } before)
        {
            var end = ordered.FindIndex(k => Compare(k, before) >= 0);
            end = end < 0 ? ordered.Count : end;
            start = Math.Max(0, end - size);
            return (ordered.Skip(start).Take(end - start).ToList(), start > 0, true);
        }
        if (query.After is { } after)
        {
            start = ordered.FindIndex(k => Compare(k, after) > 0);
            start = start < 0 ? ordered.Count : start;
        }
        else
            start = Math.Min(ordered.Count, (int)Math.Min(int.MaxValue, (long)(query.JumpToPage ?? 0) * size));
        return (ordered.Skip(start).Take(size).ToList(), start > 0, start + size < ordered.Count);
    }

    private static MemberSearch? ParseSearch(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        text = TextLength.Clip(text, MaxSearchLength);
        if (PhoneNumber.DigitsOf(text) is { } digits)
        {
            // A whole phone typed with its country code (+86 138…) is stored without it; "+1 415" is stored with its plus.
            var phone = PhoneNumber.TryNormalise(text, out var normalised) ? normalised
                : text.StartsWith('+') || text.StartsWith('＋') ? "+" + digits : digits;
            return new MemberSearch(phone, digits, null);
        }
        return new MemberSearch(null, null, text);
    }

    /// <summary>What a search looks for: prefixes of a phone and a card number, or of a name.</summary>
    private sealed record MemberSearch(string? PhonePrefix, string? CardPrefix, string? NamePrefix)
    {
        public string? PhoneLo => PhonePrefix;
        public string? PhoneHi => PhonePrefix is null ? null : Range(PhonePrefix).Hi;
        public string? CardLo => CardPrefix;
        public string? CardHi => CardPrefix is null ? null : Range(CardPrefix).Hi;
        /// <summary>A name prefix as a LIKE pattern matched literally.</summary>
        public string? NamePattern => NamePrefix is null ? null : LikePattern.Literal(NamePrefix) + "%";

        /// <summary>All of them in one predicate, for the ordered read of a search with many matches.</summary>
        public IQueryable<Membership> Matching(MerchantDbContext db, IQueryable<Membership> memberships)
        {
            if (NamePrefix is { } name)
            {
                var pattern = LikePattern.Literal(name) + "%";
                var named = db.Customers.Where(c => EF.Functions.Like(c.Name, pattern, LikePattern.Escape)).Select(c => c.Id);
                return memberships.Where(m => named.Contains(m.CustomerId));
            }
            var (phoneLo, phoneHi) = Range(PhonePrefix!);
            var (cardLo, cardHi) = Range(CardPrefix!);
            var phoned = db.Customers.Where(c => string.Compare(c.Phone, phoneLo) >= 0 && string.Compare(c.Phone, phoneHi) < 0).Select(c => c.Id);
            return memberships.Where(m => phoned.Contains(m.CustomerId)
                                          || (string.Compare(m.CardNumber, cardLo) >= 0 && string.Compare(m.CardNumber, cardHi) < 0));
        }

        /// <summary>A prefix as a range of the ordinal order: what starts with "139" is at least "139" and below "13:".</summary>
        private static (string Lo, string Hi) Range(string prefix) => (prefix, prefix[..^1] + (char)(prefix[^1] + 1));
    }

    /// <summary>Plans that have gone live, with their live tiers and each tier's first enabled Manual channel.</summary>
    public async Task<IReadOnlyList<PlanOption>> PlansAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plans = await db.MembershipPlans.AsNoTracking().WithParts()
            .Where(p => p.Status == PlanStatus.Active || p.Status == PlanStatus.Suspended || p.Status == PlanStatus.Retired)
            .ToListAsync(cancellationToken);
        return plans
            .OrderBy(p => p.Status != PlanStatus.Active).ThenBy(p => p.Name, StringComparer.CurrentCulture)
            .Select(p => new PlanOption(p.Id, p.Name, p.Status, p.Tiers
                .Where(t => !p.IsPendingRevision(t))
                .Select(t => new TierOption(t.Id, t.Name, t.Colour, t.JoinChannels
                    .FirstOrDefault(c => c.Type == JoinChannelType.Manual && c.Enabled && !p.IsPendingRevision(c))?.Id))
                .ToList()))
            .ToList();
    }

    /// <summary>The merchant's customer with this phone, however it is typed; null when there is none or it is no phone.</summary>
    public async Task<CustomerFound?> FindCustomerAsync(string? phone, CancellationToken cancellationToken = default)
    {
        if (!PhoneNumber.TryNormalise(phone, out var normalised))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Customers.AsNoTracking().Where(c => c.Phone == normalised)
            .Select(c => new CustomerFound(c.Id, c.Phone, c.Name, c.Birthday, c.ExternalRef))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Null when there is no such member for this merchant (another merchant's id included).</summary>
    public async Task<MemberDetails?> DetailsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
            return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == membership.CustomerId, cancellationToken);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == membership.PlanId, cancellationToken);
        var tier = plan.Tiers.Single(t => t.Id == membership.TierId);
        var channel = tier.JoinChannels.Single(c => c.Id == membership.JoinChannelId);
        var template = await db.CardTemplates.AsNoTracking().Include(t => t.Versions)
            .Where(t => t.Versions.Any(v => v.Id == membership.CardTemplateVersionId))
            .SingleOrDefaultAsync(cancellationToken);
        var version = template?.Versions.Single(v => v.Id == membership.CardTemplateVersionId);
        var tierNames = plan.Tiers.ToDictionary(t => t.Id, t => t.Name);
        string NameOf(Guid? tierId) => tierId is { } id ? tierNames.GetValueOrDefault(id, "—") : "—";

        var others = await (
            from m in db.Memberships.AsNoTracking()
            where m.CustomerId == customer.Id && m.Id != membership.Id
            join p in db.MembershipPlans.AsNoTracking() on m.PlanId equals p.Id
            join t in db.Set<Tier>().AsNoTracking() on m.TierId equals t.Id
            select new MemberPlanRow(m.Id, p.Name, t.Name, t.Colour, m.Status, m.CardNumber)).ToListAsync(cancellationToken);
        var coupons = await db.Coupons.AsNoTracking().Where(c => c.MembershipId == membership.Id).OrderByDescending(c => c.IssuedAt).Take(MaxListed)
            .Select(c => new MemberCouponRow(c.Code, c.Status, c.IssuedAt, c.ValidUntil, c.RedeemedAt)).ToListAsync(cancellationToken);
        // Orders are read only here: the orders feature owns them.
        var orders = (await db.Orders.AsNoTracking().Where(o => o.CustomerId == customer.Id && o.PlanId == membership.PlanId)
                .OrderByDescending(o => o.CreatedAt).Take(MaxListed)
                .Select(o => new { o.Id, o.CreatedAt, o.PriceMinorUnits, o.Currency, o.Status }).ToListAsync(cancellationToken))
            .Select(o => new MemberOrderRow(o.Id, o.CreatedAt, new Money(o.PriceMinorUnits, o.Currency), o.Status)).ToList();
        var history = (await db.TierChanges.AsNoTracking().Where(c => c.MembershipId == membership.Id)
                .OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(MaxListed).ToListAsync(cancellationToken))
            .Select(c => new TierHistoryRow(c.At, NameOf(c.FromTierId), NameOf(c.ToTierId), c.Reason, c.OverrideKind, c.OverrideKind is null ? null : NameOf(c.OverrideTierId),
                c.OverrideUntil, c.Note, c.By)).ToList();
        return new MemberDetails(membership, customer, plan.Name, tier.Name, tier.Colour, channel.Type,
            template is null || version is null ? null : PlanMapping.TemplateLabel(template, version), template?.Id)
        {
            CardDesign = version?.Design,
            Currency = plan.Currency,
            Tiers = plan.Tiers.Where(t => !plan.IsPendingRevision(t)).OrderBy(t => t.Rank).Select(t => new TierOption(t.Id, t.Name, t.Colour, null)).ToList(),
            OverrideTierName = membership.OverrideKind is null ? null : NameOf(membership.OverrideTierId),
            OtherMemberships = others,
            Coupons = coupons,
            Orders = orders,
            TierHistory = history,
        };
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MemberCounts.SumAsync(c => c.Count, cancellationToken);
    }
}
