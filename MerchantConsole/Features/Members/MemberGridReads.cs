using System.Collections.Concurrent;
using System.Text;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MerchantConsole.Features.Members;

public sealed partial class MemberQueries
{
    /// <summary>
    /// The grid's reads for one call. The three that are a single indexed statement (a list page and a search's first
    /// rows) run as prepared statements on the embedded database when the scope is one merchant's
    /// (<see cref="SqlitePreparedReads"/>, ARCHITECTURE.md, Members); everything else, and every read on a database
    /// server, is the compiled EF query on a context opened only when a read needs it.
    /// </summary>
    /// <remarks>
    /// The SQL here is the compiled queries' SQL with the merchant filter written out: each table's <c>MerchantId</c> is the
    /// scope's merchant, as the query filter would make it. <c>MemberGridReadsTests</c> compares both paths row for row.
    /// </remarks>
    private sealed class GridReads(IDbContextFactory<MerchantDbContext> contexts) : IAsyncDisposable
    {
        private static readonly DateTimeOffsetToBinaryConverter Instant = new();
        private readonly (SqlitePreparedReads Reads, Guid MerchantId)? _prepared = (contexts as MerchantDbContextFactory)?.SqliteReadsForMerchant;
        private MerchantDbContext? _db;

        public async ValueTask<MerchantDbContext> ContextAsync(CancellationToken cancellationToken) =>
            _db ??= await contexts.CreateDbContextAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (_db is not null)
                await _db.DisposeAsync();
        }

        public async Task<long> MaintainedCountAsync(Guid? plan, Guid? tier, MembershipStatus? status, CancellationToken cancellationToken)
        {
            var db = await ContextAsync(cancellationToken);
            return await MaintainedCount.For(db)(db, plan, tier, status);
        }

        /// <summary>The first page, or the rows older than a cursor, each with the maintained count.</summary>
        public async Task<List<CountedRow>> OlderPageAsync(Guid? plan, Guid? tier, MembershipStatus? status, MemberCursor? from, int take,
            CancellationToken cancellationToken)
        {
            if (_prepared is not { } prepared)
            {
                var db = await ContextAsync(cancellationToken);
                return await ToListAsync(OlderPage.For(db)(db, plan, tier, status, from?.JoinedAt, from?.CardNumber, take), cancellationToken);
            }
            var filters = new Filters(prepared.MerchantId, plan, tier, status);
            var parameters = filters.Parameters();
            if (from is not null)
                parameters.AddRange([("$j", Instant.ConvertToProvider(from.JoinedAt)), ("$c", from.CardNumber)]);
            return await prepared.Reads.ReadAsync(PageSql(filters.Mask, from is null ? PageShape.First : PageShape.Older, take), parameters, ReadCounted, cancellationToken);
        }

        /// <summary>The rows newer than a cursor (the page before it), read upwards, each with the maintained count.</summary>
        public async Task<List<CountedRow>> NewerPageAsync(Guid? plan, Guid? tier, MembershipStatus? status, MemberCursor before, int take,
            CancellationToken cancellationToken)
        {
            if (_prepared is not { } prepared)
            {
                var db = await ContextAsync(cancellationToken);
                return await ToListAsync(NewerPage.For(db)(db, plan, tier, status, before.JoinedAt, before.CardNumber, take), cancellationToken);
            }
            var filters = new Filters(prepared.MerchantId, plan, tier, status);
            var parameters = filters.Parameters();
            parameters.AddRange([("$j", Instant.ConvertToProvider(before.JoinedAt)), ("$c", before.CardNumber)]);
            return await prepared.Reads.ReadAsync(PageSql(filters.Mask, PageShape.Newer, take), parameters, ReadCounted, cancellationToken);
        }

        /// <summary>
        /// Up to <c>take</c> members whose card number starts with the digits searched and up to <c>take</c> whose phone does,
        /// unordered; more than <c>take - 1</c> rows in all sends the caller to counting keys, as the compiled query's do.
        /// </summary>
        public async Task<List<MemberRow>> DigitRowsAsync(Guid? plan, Guid? tier, MembershipStatus? status, MemberSearch search, int take,
            CancellationToken cancellationToken)
        {
            if (_prepared is not { } prepared)
            {
                var db = await ContextAsync(cancellationToken);
                return [.. await ToListAsync(CardRows.For(db)(db, plan, tier, status, search.CardLo!, search.CardHi!, take), cancellationToken),
                    .. await ToListAsync(PhoneRows.For(db)(db, plan, tier, status, search.PhoneLo!, search.PhoneHi!, take), cancellationToken)];
            }
            var filters = new Filters(prepared.MerchantId, plan, tier, status);
            var parameters = filters.Parameters();
            parameters.AddRange([("$phoneLo", search.PhoneLo), ("$phoneHi", search.PhoneHi), ("$cardLo", search.CardLo), ("$cardHi", search.CardHi)]);
            return await prepared.Reads.ReadAsync(DigitSql(filters.Mask, take), parameters, ReadRow, cancellationToken);
        }

        /// <summary>The optional filters as SQL parameters; <see cref="Mask"/> says which are present (one prepared statement each).</summary>
        private readonly record struct Filters(Guid MerchantId, Guid? Plan, Guid? Tier, MembershipStatus? Status)
        {
            public int Mask => (Plan is null ? 0 : 1) | (Tier is null ? 0 : 2) | (Status is null ? 0 : 4);

            // Stored as EF stores them on SQLite: ids as upper-case text, the status by name.
            public List<(string Name, object? Value)> Parameters()
            {
                var list = new List<(string, object?)>(10) { ("$merchant", Text(MerchantId)) };
                if (Plan is { } plan) list.Add(("$plan", Text(plan)));
                if (Tier is { } tier) list.Add(("$tier", Text(tier)));
                if (Status is { } status) list.Add(("$status", status.ToString()));
                return list;
            }

            private static string Text(Guid id) => id.ToString().ToUpperInvariant();
        }

        private enum PageShape { First, Older, Newer }

        // The page size is written into the SQL, not bound: with LIMIT as a parameter SQLite took ten times as long over
        // these subqueries (0.12 ms against 0.012 ms for a card number at a million members). It is an int from the
        // caller, never text, and page sizes are few: one statement per filter set, shape and size.
        private static readonly ConcurrentDictionary<(int Mask, PageShape Shape, int Take), string> PageStatements = new();
        private static readonly ConcurrentDictionary<(int Mask, int Take), string> DigitStatements = new();

        private static string PageSql(int mask, PageShape shape, int take) =>
            PageStatements.GetOrAdd((mask, shape, take), key => BuildPageSql(key.Mask, key.Shape, key.Take));

        private static string DigitSql(int mask, int take) => DigitStatements.GetOrAdd((mask, take), key => BuildDigitSql(key.Mask, key.Take));

        private const string MembershipColumns = """s."Id", s."CardNumber", s."CustomerId", s."ExpiresAt", s."JoinedAt", s."PlanId", s."Status", s."TierId" """;
        private const string RowColumns = """m."Id", m."CardNumber", c."Name", c."Phone", p."Name", t."Name", t."Colour", m."Status", m."JoinedAt", m."ExpiresAt" """;
        private const string Joins = """
            JOIN "Customers" c ON c."Id" = m."CustomerId" AND c."MerchantId" = $merchant
            JOIN "MembershipPlans" p ON p."Id" = m."PlanId" AND p."MerchantId" = $merchant
            JOIN "PlanTiers" t ON t."Id" = m."TierId"
            """;

        private static string Limit(int take) => take.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static string FilterSql(int mask, string alias)
        {
            var sql = new StringBuilder();
            if ((mask & 1) != 0) sql.Append($""" AND {alias}."PlanId" = $plan""");
            if ((mask & 2) != 0) sql.Append($""" AND {alias}."TierId" = $tier""");
            if ((mask & 4) != 0) sql.Append($""" AND {alias}."Status" = $status""");
            return sql.ToString();
        }

        // The page is cut on IX_Memberships_List first (the inner LIMIT), then only its rows are joined; the count is the
        // maintained MemberCounts' sum for the same filters, in the same statement.
        private static string BuildPageSql(int mask, PageShape shape, int take)
        {
            var (cut, order) = shape switch
            {
                PageShape.First => ("", "DESC"),
                PageShape.Older => ("""AND s."JoinedAt" <= $j AND (s."JoinedAt" < $j OR s."CardNumber" < $c)""", "DESC"),
                _ => ("""AND s."JoinedAt" >= $j AND (s."JoinedAt" > $j OR s."CardNumber" > $c)""", "ASC"),
            };
            return $"""
                SELECT {RowColumns},
                    (SELECT coalesce(sum(x."Count"), 0) FROM "MemberCounts" x WHERE x."MerchantId" = $merchant{FilterSql(mask, "x")})
                FROM (SELECT {MembershipColumns} FROM "Memberships" s WHERE s."MerchantId" = $merchant{FilterSql(mask, "s")} {cut}
                      ORDER BY s."JoinedAt" {order}, s."CardNumber" {order} LIMIT {Limit(take)}) m
                {Joins}
                ORDER BY m."JoinedAt" {order}, m."CardNumber" {order}
                """;
        }

        // Two range reads, each of its own index (card number; customer phone), each cut at the page's size and only then
        // joined; UNION ALL needs no temporary table (an OR of the two, as the compiled query has, cost 0.2 ms more at a
        // million members). A member matched twice comes twice: the caller counts distinct ids.
        private static string BuildDigitSql(int mask, int take) => $"""
            SELECT {RowColumns}
            FROM (SELECT {MembershipColumns} FROM "Memberships" s
                  WHERE s."MerchantId" = $merchant AND s."CardNumber" >= $cardLo AND s."CardNumber" < $cardHi{FilterSql(mask, "s")}
                  LIMIT {Limit(take)}) m
            {Joins}
            UNION ALL
            SELECT {RowColumns}
            FROM (SELECT {MembershipColumns} FROM "Customers" x JOIN "Memberships" s ON s."CustomerId" = x."Id"
                  WHERE x."MerchantId" = $merchant AND x."Phone" >= $phoneLo AND x."Phone" < $phoneHi AND s."MerchantId" = $merchant{FilterSql(mask, "s")}
                  LIMIT {Limit(take)}) m
            {Joins}
            """;

        private static MemberRow ReadRow(SqliteDataReader row) => new(
            Guid.Parse(row.GetString(0)), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetString(5), row.GetString(6),
            Enum.Parse<MembershipStatus>(row.GetString(7)),
            (DateTimeOffset)Instant.ConvertFromProvider(row.GetInt64(8))!,
            row.IsDBNull(9) ? null : (DateTimeOffset)Instant.ConvertFromProvider(row.GetInt64(9))!);

        private static CountedRow ReadCounted(SqliteDataReader row) => new(ReadRow(row), row.GetInt64(10));
    }
}
