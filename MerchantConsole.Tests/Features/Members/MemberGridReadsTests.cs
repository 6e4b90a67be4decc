using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>
/// The member grid's prepared reads on the embedded database against the compiled EF queries they stand in for: the same
/// rows, counts and paging for every filter and direction, and only the signed-in merchant's members.
/// </summary>
public sealed class MemberGridReadsTests : IAsyncLifetime
{
    private MembersHarness _harness = null!;
    private MembershipPlan _plan = null!;
    private MembershipPlan _otherPlan = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await MembersHarness.CreateAsync();
        _plan = await _harness.ActivePlanAsync();
        var enrolment = _harness.Enrolment();
        for (var i = 0; i < 30; i++)
        {
            await enrolment.EnrolAsync(MembersHarness.Request(_plan, i % 3 == 0 ? "Gold" : "Silver", phone: $"139{i:00000000}", name: $"会员{i}"));
            if (i % 2 == 1)
                _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        // A second plan of the same merchant, and another merchant whose member has a phone the searches also match.
        var second = await _harness.ActivePlanAsync(name: "Tea club");
        for (var i = 30; i < 36; i++)
            await enrolment.EnrolAsync(MembersHarness.Request(second, "Silver", phone: $"139{i:00000000}", name: $"会员{i}"));
        // Two members whose phone starts like their card number: a digit search finds each by both.
        var cards = new FixedCards(["88000000001", "88000000002"]);
        for (var i = 0; i < 2; i++)
            await _harness.Enrolment(cardNumbers: cards).EnrolAsync(MembersHarness.Request(_plan, "Silver", phone: $"880000000{i}", name: $"双{i}"));
        _otherPlan = await _harness.ActivePlanAsync(_harness.OtherMerchant.Id);
        for (var i = 0; i < 3; i++)
            await _harness.Enrolment(_harness.OtherMerchant.Id).EnrolAsync(MembersHarness.Request(_otherPlan, phone: $"139{i:00000000}", name: "Other"));
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task ThePreparedReadsReturnWhatTheCompiledQueriesReturnForEveryFilterAndDirection()
    {
        var prepared = _harness.Queries();
        var compiled = new MemberQueries(new EfOnlyContexts(_harness.Contexts()));
        var gold = _plan.Tiers.Single(t => t.Name == "Gold").Id;
        var compared = 0;
        foreach (var plan in new Guid?[] { null, _plan.Id })
        foreach (var tier in new Guid?[] { null, gold })
        foreach (var status in new MembershipStatus?[] { null, MembershipStatus.Active, MembershipStatus.Cancelled })
        foreach (var search in new[] { null, "13900000", "139000000", "1390000001", "880000000", "88" })
        {
            var query = new MemberListQuery(search, plan, tier, status, 7);
            var first = await BothAsync(prepared, compiled, query);
            compared++;
            if (first.Rows.Count == 0)
                continue;
            var next = await BothAsync(prepared, compiled, query with { After = first.Rows[^1].Cursor });
            if (next.Rows.Count > 0)
                await BothAsync(prepared, compiled, query with { Before = next.Rows[0].Cursor });
            await BothAsync(prepared, compiled, query with { Before = first.Rows[0].Cursor });
        }
        Assert.Equal(2 * 2 * 3 * 6, compared);

        // A card number typed as printed on the card, through both.
        var card = (await compiled.ListAsync(new MemberListQuery(null, null, null, null, 1))).Rows[0];
        var found = await BothAsync(prepared, compiled, new MemberListQuery(CardNumbers.Display(card.CardNumber), null, null, null, 20));
        Assert.Equal(card.Id, Assert.Single(found.Rows).Id);
        // Matched by card number and by phone, listed and counted once.
        var twice = await BothAsync(prepared, compiled, new MemberListQuery("880000000", null, null, null, 20));
        Assert.Equal((2, 2L), (twice.Rows.Count, twice.Total));
    }

    [Fact]
    public async Task ThePreparedReadsShowOnlyTheSignedInMerchantsMembers()
    {
        var mine = await _harness.Queries().ListAsync(new MemberListQuery(null, null, null, null, 100));
        var theirs = await _harness.Queries(_harness.OtherMerchant.Id).ListAsync(new MemberListQuery(null, null, null, null, 100));
        var theirPhone = await _harness.Queries(_harness.OtherMerchant.Id).ListAsync(new MemberListQuery("13900000001", null, null, null, 20));
        // The other merchant's plan id as a filter finds nothing of mine.
        var byTheirPlan = await _harness.Queries().ListAsync(new MemberListQuery(null, _otherPlan.Id, null, null, 20));

        Assert.Equal((38, 38L), (mine.Rows.Count, mine.Total));
        Assert.DoesNotContain(mine.Rows, r => r.Name == "Other");
        Assert.Equal((3, 3L), (theirs.Rows.Count, theirs.Total));
        Assert.All(theirs.Rows, r => Assert.Equal("Other", r.Name));
        Assert.Equal("Other", Assert.Single(theirPhone.Rows).Name);
        Assert.Equal((0, 0L), (byTheirPlan.Rows.Count, byTheirPlan.Total));
    }

    [Fact]
    public async Task SupportReadingAcrossMerchantsTakesTheCompiledQueriesNotThePreparedReads()
    {
        var scope = new MerchantScope();
        scope.UseAcrossMerchants("support@test");
        var factory = new MerchantDbContextFactory(_harness.Database.Contexts, scope);
        var before = _harness.Database.Contexts.SqliteReads!.StatementsRun;

        var page = await new MemberQueries(factory).ListAsync(new MemberListQuery(null, null, null, null, 100));

        Assert.Null(factory.SqliteReadsForMerchant);
        Assert.Equal(before, _harness.Database.Contexts.SqliteReads.StatementsRun);
        Assert.Equal(41, page.Rows.Count);
    }

    private sealed class FixedCards(string[] bodies) : ICardNumberGenerator
    {
        private int _next;

        public string Next()
        {
            var body = bodies[_next++];
            return body + CardNumbers.CheckDigit(body);
        }
    }

    private static async Task<MemberListResult> BothAsync(MemberQueries prepared, MemberQueries compiled, MemberListQuery query)
    {
        var fast = await prepared.ListAsync(query);
        var slow = await compiled.ListAsync(query);
        Assert.Equal(slow.Rows, fast.Rows);
        Assert.Equal((slow.Total, slow.TotalIsAtLeast, slow.HasPrevious, slow.HasNext), (fast.Total, fast.TotalIsAtLeast, fast.HasPrevious, fast.HasNext));
        return fast;
    }
}

/// <summary>The same contexts without the prepared reads: the grid's compiled EF queries, as on a database server.</summary>
internal sealed class EfOnlyContexts(IDbContextFactory<MerchantDbContext> inner) : IDbContextFactory<MerchantDbContext>
{
    public MerchantDbContext CreateDbContext() => inner.CreateDbContext();
}
