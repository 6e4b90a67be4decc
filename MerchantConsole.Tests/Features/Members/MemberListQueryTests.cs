using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>The member grid's reads: keyset pages, jumps, maintained counts and prefix searches, on a real database.</summary>
public sealed class MemberListQueryTests : IAsyncLifetime
{
    private MembersHarness _harness = null!;
    private MembershipPlan _plan = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await MembersHarness.CreateAsync();
        _plan = await _harness.ActivePlanAsync();
        var enrolment = _harness.Enrolment();
        for (var i = 0; i < 45; i++)
        {
            var phone = $"139{i:00000000}";
            await enrolment.EnrolAsync(MembersHarness.Request(_plan, i % 3 == 0 ? "Gold" : "Silver", phone: phone, name: $"会员{i}"));
            // Two members joined in each instant: the card number breaks the tie.
            if (i % 2 == 1)
                _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var otherPlan = await _harness.ActivePlanAsync(_harness.OtherMerchant.Id);
        await _harness.Enrolment(_harness.OtherMerchant.Id).EnrolAsync(MembersHarness.Request(otherPlan, phone: "13900000001", name: "Other"));
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    /// <summary>The list's order computed in memory: newest first, the card number breaking ties.</summary>
    private async Task<List<string>> PhonesNewestFirstAsync()
    {
        var memberships = (await _harness.AllAsync<Membership>()).Where(m => m.MerchantId == _harness.Merchant.Id);
        var phones = (await _harness.AllAsync<Customer>()).ToDictionary(c => c.Id, c => c.Phone);
        return memberships.OrderByDescending(m => m.JoinedAt).ThenByDescending(m => m.CardNumber, StringComparer.Ordinal)
            .Select(m => phones[m.CustomerId]).ToList();
    }

    private static MemberListQuery Query(string? search = null, int size = 20) => new(search, null, null, null, size);

    [Fact]
    public async Task NextAndPreviousWalkTheWholeListNewestFirstWithoutGapsOrRepeats()
    {
        var queries = _harness.Queries();
        var seen = new List<MemberRow>();
        var page = await queries.ListAsync(Query());
        Assert.Equal((45L, false, false, true), (page.Total, page.TotalIsAtLeast, page.HasPrevious, page.HasNext));
        seen.AddRange(page.Rows);
        var pages = new List<MemberListResult> { page };
        while (page.HasNext)
        {
            page = await queries.ListAsync(Query() with { After = page.Rows[^1].Cursor });
            pages.Add(page);
            seen.AddRange(page.Rows);
        }

        Assert.Equal(await PhonesNewestFirstAsync(), seen.Select(r => r.Phone));
        Assert.Equal([20, 20, 5], pages.Select(p => p.Rows.Count));
        var back = await queries.ListAsync(Query() with { Before = pages[2].Rows[0].Cursor });
        Assert.Equal(pages[1].Rows.Select(r => r.Id), back.Rows.Select(r => r.Id));
        Assert.True(back.HasPrevious);
        var start = await queries.ListAsync(Query() with { Before = pages[1].Rows[0].Cursor });
        Assert.Equal(pages[0].Rows.Select(r => r.Id), start.Rows.Select(r => r.Id));
        Assert.False(start.HasPrevious);
    }

    [Fact]
    public async Task JumpingToAPageNumberReadsTheSameRowsAsWalkingThere()
    {
        var queries = _harness.Queries();

        var jumped = await queries.ListAsync(Query(size: 10) with { JumpToPage = 3 });
        var beyond = await queries.ListAsync(Query(size: 10) with { JumpToPage = 9 });

        Assert.Equal((await PhonesNewestFirstAsync()).Skip(30).Take(10), jumped.Rows.Select(r => r.Phone));
        Assert.True(jumped.HasPrevious && jumped.HasNext);
        Assert.Empty(beyond.Rows);
    }

    [Fact]
    public async Task CountsAreMaintainedPerPlanTierAndStatusAndFiltersNarrowThePage()
    {
        var queries = _harness.Queries();
        var gold = _plan.Tiers.Single(t => t.Name == "Gold").Id;

        var golds = await queries.ListAsync(new MemberListQuery(null, _plan.Id, gold, MembershipStatus.Active, 50));
        var expired = await queries.ListAsync(new MemberListQuery(null, null, null, MembershipStatus.Expired, 50));

        Assert.Equal(15, golds.Total);
        Assert.Equal(15, golds.Rows.Count);
        Assert.All(golds.Rows, r => Assert.Equal("Gold", r.TierName));
        Assert.Equal(0, expired.Total);
        Assert.Empty(expired.Rows);
        await using var db = _harness.Database.Unscoped();
        Assert.Equal(46, await db.MemberCounts.IgnoreQueryFilters().SumAsync(c => c.Count));
    }

    [Fact]
    public async Task ASearchMatchesThePrefixOfAPhoneOrCardNumberOrNameAndCountsItsMatches()
    {
        var queries = _harness.Queries();
        var any = (await queries.ListAsync(Query())).Rows[5];

        var byPrefix = await queries.ListAsync(Query("139 0000 001"));
        var byCard = await queries.ListAsync(Query(CardNumbers.Display(any.CardNumber)));
        var byName = await queries.ListAsync(Query("会员4"));
        var inTheMiddle = await queries.ListAsync(Query("0000001"));
        var paged = await queries.ListAsync(Query("139", size: 20) with { JumpToPage = 2 });

        Assert.Equal(10, byPrefix.Total);
        Assert.Equal((await PhonesNewestFirstAsync()).Where(p => p.StartsWith("1390000001", StringComparison.Ordinal)), byPrefix.Rows.Select(r => r.Phone));
        Assert.Equal(any.Id, Assert.Single(byCard.Rows).Id);
        Assert.Equal(["会员4", "会员40", "会员41", "会员42", "会员43", "会员44"], byName.Rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Empty(inTheMiddle.Rows);
        Assert.Equal((45L, 5), (paged.Total, paged.Rows.Count));
    }

    [Fact]
    public async Task AFirstPageANextPageAreOneStatementAndACardNumberSearchOneRangeReadPerKindWithTheirCount()
    {
        // Through EF (what a database server runs): one compiled statement per page; a digit search reads the card
        // numbers and the phones in the range with one statement each (one OR-ed statement made PostgreSQL scan).
        var queries = new MemberQueries(new EfOnlyContexts(_harness.Contexts()));
        var any = (await queries.ListAsync(Query())).Rows[5];
        using var commands = new CommandCounter(_harness.Database.Contexts.ConnectionString);

        var first = await queries.ListAsync(Query());
        var firstStatements = commands.Take();
        var next = await queries.ListAsync(Query() with { After = first.Rows[^1].Cursor });
        var nextStatements = commands.Take();
        var card = await queries.ListAsync(Query(CardNumbers.Display(any.CardNumber)));
        var cardStatements = commands.Take();

        Assert.Equal((1, 1, 2), (firstStatements, nextStatements, cardStatements));
        Assert.Equal((45L, 20), (first.Total, first.Rows.Count));
        Assert.Equal((45L, 20), (next.Total, next.Rows.Count));
        Assert.Equal((1L, any.Id), (card.Total, Assert.Single(card.Rows).Id));
    }

    [Fact]
    public async Task OnTheEmbeddedDatabaseTheSamePagesAreOnePreparedStatementEachAndNoEfContext()
    {
        var queries = _harness.Queries();
        var prepared = _harness.Database.Contexts.SqliteReads!;
        var any = (await queries.ListAsync(Query())).Rows[5];
        using var commands = new CommandCounter(_harness.Database.Contexts.ConnectionString);
        var before = prepared.StatementsRun;

        var first = await queries.ListAsync(Query());
        var next = await queries.ListAsync(Query() with { After = first.Rows[^1].Cursor });
        var previous = await queries.ListAsync(Query() with { Before = next.Rows[0].Cursor });
        var card = await queries.ListAsync(Query(CardNumbers.Display(any.CardNumber)));

        Assert.Equal((0, 4L), (commands.Take(), prepared.StatementsRun - before));
        Assert.Equal((45L, 20, 20), (first.Total, first.Rows.Count, next.Rows.Count));
        Assert.Equal(first.Rows.Select(r => r.Id), previous.Rows.Select(r => r.Id));
        Assert.Equal((1L, any.Id), (card.Total, Assert.Single(card.Rows).Id));
    }

    [Fact]
    public async Task APagePastTheEndStillShowsTheCountAndAFilterWithoutMembersCountsNone()
    {
        var queries = _harness.Queries();
        var last = (await queries.ListAsync(Query(size: 50))).Rows[^1];

        var pastTheEnd = await queries.ListAsync(Query() with { After = last.Cursor });
        var none = await queries.ListAsync(new MemberListQuery(null, null, null, MembershipStatus.Cancelled, 20));

        Assert.Equal((45L, 0, true, false), (pastTheEnd.Total, pastTheEnd.Rows.Count, pastTheEnd.HasPrevious, pastTheEnd.HasNext));
        Assert.Equal((0L, 0, false), (none.Total, none.Rows.Count, none.HasNext));
    }

    /// <summary>Counts the statements EF runs on one database file (EF's diagnostic events), whatever other tests run meanwhile.</summary>
    private sealed class CommandCounter : IObserver<System.Diagnostics.DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _dataSource;
        private readonly List<IDisposable> _subscriptions = [];
        private int _count;

        public CommandCounter(string connectionString)
        {
            _dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            _subscriptions.Add(System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(this));
        }

        public int Take() => Interlocked.Exchange(ref _count, 0);

        public void OnNext(System.Diagnostics.DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
                lock (_subscriptions)
                    _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData executed
                && executed.Command.Connection is Microsoft.Data.Sqlite.SqliteConnection connection
                && new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection.ConnectionString).DataSource == _dataSource)
                Interlocked.Increment(ref _count);
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            lock (_subscriptions)
                foreach (var subscription in _subscriptions)
                    subscription.Dispose();
        }
    }
}
