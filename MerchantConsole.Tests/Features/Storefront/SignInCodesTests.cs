using MerchantConsole.Data;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Storefront;

/// <summary>The codes on a real database; two <see cref="SignInCodes"/> over one database stand for two app nodes.</summary>
public sealed class SignInCodesTests : IAsyncLifetime
{
    private static readonly Guid Merchant = Guid.NewGuid();
    private const string Phone = "13900001111";
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private SignInCodes Codes(int attempts = 3, int perPhone = 100) =>
        new(_db.Contexts, _db.Clock, Options.Create(new StorefrontOptions
        {
            CodeLifetime = TimeSpan.FromMinutes(5), MaxCodeAttempts = attempts, CodesPerPhone = perPhone, CodeWindow = TimeSpan.FromMinutes(10),
        }));

    private static async Task<string> IssueAsync(SignInCodes codes, Guid? merchant = null) =>
        (await codes.IssueAsync(merchant ?? Merchant, Phone)).Code ?? throw new InvalidOperationException("No code was issued.");

    [Fact]
    public async Task ACodeIsAcceptedOnceThenNoLonger()
    {
        var codes = Codes();
        var code = await IssueAsync(codes);

        Assert.Equal(CodeCheck.Accepted, await codes.CheckAsync(Merchant, Phone, code));
        Assert.Equal(CodeCheck.NoCode, await codes.CheckAsync(Merchant, Phone, code));
    }

    [Fact]
    public async Task ACodeIssuedByOneNodeIsAcceptedByAnotherAndThenByNeither()
    {
        var (nodeA, nodeB) = (Codes(), Codes());
        var code = await IssueAsync(nodeA);

        Assert.Equal(CodeCheck.Accepted, await nodeB.CheckAsync(Merchant, Phone, code));
        Assert.Equal(CodeCheck.NoCode, await nodeA.CheckAsync(Merchant, Phone, code));
        Assert.Equal(CodeCheck.NoCode, await nodeB.CheckAsync(Merchant, Phone, code));
    }

    [Fact]
    public async Task ManyChecksOfTheRightCodeAtOnceAcceptItExactlyOnce()
    {
        var code = await IssueAsync(Codes());
        var nodes = Enumerable.Range(0, 8).Select(_ => Codes(attempts: 10)).ToList();

        var checks = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.CheckAsync(Merchant, Phone, code))));

        Assert.Single(checks, c => c == CodeCheck.Accepted);
        Assert.All(checks.Where(c => c != CodeCheck.Accepted), c => Assert.Equal(CodeCheck.NoCode, c));
    }

    [Fact]
    public async Task ACodeUsedAfterItsLifetimeIsExpired()
    {
        var codes = Codes();
        var issued = await codes.IssueAsync(Merchant, Phone);

        _db.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(_db.Clock.GetUtcNow(), issued.ExpiresAt);
        Assert.Equal(CodeCheck.Expired, await codes.CheckAsync(Merchant, Phone, issued.Code!));
        Assert.Equal(CodeCheck.NoCode, await codes.CheckAsync(Merchant, Phone, issued.Code!));
    }

    [Fact]
    public async Task ACodeJustBeforeItsEndStillWorks()
    {
        var codes = Codes();
        var code = await IssueAsync(codes);

        _db.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.Equal(CodeCheck.Accepted, await codes.CheckAsync(Merchant, Phone, code));
    }

    [Fact]
    public async Task TooManyWrongGuessesVoidTheCodeWhicheverNodeTheyReach()
    {
        var (nodeA, nodeB) = (Codes(attempts: 3), Codes(attempts: 3));
        var code = await IssueAsync(nodeA);
        var wrong = code == "000000" ? "111111" : "000000";

        var guesses = new List<CodeCheck>
        {
            await nodeA.CheckAsync(Merchant, Phone, wrong),
            await nodeB.CheckAsync(Merchant, Phone, wrong),
            await nodeA.CheckAsync(Merchant, Phone, wrong),
        };

        Assert.All(guesses, g => Assert.Equal(CodeCheck.Wrong, g));
        Assert.Equal(CodeCheck.NoCode, await nodeB.CheckAsync(Merchant, Phone, code));
    }

    [Fact]
    public async Task ANewCodeReplacesTheOldAndCodesAreKeptPerMerchant()
    {
        var codes = Codes();
        var old = await IssueAsync(codes);
        var fresh = await IssueAsync(Codes());

        Assert.Equal(CodeCheck.NoCode, await codes.CheckAsync(Guid.NewGuid(), Phone, fresh));
        if (old != fresh)
            Assert.Equal(CodeCheck.Wrong, await codes.CheckAsync(Merchant, Phone, old));
        Assert.Equal(CodeCheck.Accepted, await codes.CheckAsync(Merchant, Phone, fresh));
    }

    [Fact]
    public async Task ThePhonesLimitOfCodesPerWindowHoldsAcrossNodesAndOpensAgainAfterTheWindow()
    {
        var (nodeA, nodeB) = (Codes(perPhone: 3), Codes(perPhone: 3));

        var issued = new[]
        {
            await nodeA.IssueAsync(Merchant, Phone), await nodeB.IssueAsync(Merchant, Phone), await nodeA.IssueAsync(Merchant, Phone),
        };
        var refused = await nodeB.IssueAsync(Merchant, Phone);
        var otherPhone = await nodeB.IssueAsync(Merchant, "13900002222");
        _db.Clock.Advance(TimeSpan.FromMinutes(10));
        var nextWindow = await nodeB.IssueAsync(Merchant, Phone);

        Assert.All(issued, i => Assert.True(i.Issued));
        Assert.False(refused.Issued);
        Assert.Equal(TimeSpan.FromMinutes(10), refused.RetryAfter);
        Assert.True(otherPhone.Issued);
        Assert.True(nextWindow.Issued);
    }

    [Fact]
    public async Task TheSweepDeletesCodesPastTheirLifeAndWindowAndTheSandboxMessagesBeyondThoseKept()
    {
        var settings = Options.Create(new StorefrontOptions { SandboxMessagesKept = 2, CodeWindow = TimeSpan.FromMinutes(10) });
        var codes = new SignInCodes(_db.Contexts, _db.Clock, settings);
        var sms = new SandboxSmsSender(_db.Contexts, Microsoft.Extensions.Logging.Abstractions.NullLogger<SandboxSmsSender>.Instance, _db.Clock, settings);
        var merchant = new SmsMerchant(Merchant, "sweep", "Sweep");
        await codes.IssueAsync(Merchant, "13900003333");
        for (var i = 0; i < 3; i++)
        {
            await sms.SendSignInCodeAsync(merchant, Phone, $"00000{i}", _db.Clock.GetUtcNow().AddMinutes(5));
            _db.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        _db.Clock.Advance(TimeSpan.FromMinutes(10));
        await codes.IssueAsync(Merchant, "13900004444");
        var sweep = new SignInCodeSweepJob(_db.Contexts, _db.Clock, settings);

        var (deletedCodes, deletedMessages) = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal((1, 1), (deletedCodes, deletedMessages));
        await using var db = _db.For(Merchant);
        Assert.Equal(["13900004444"], await db.SignInCodes.Select(c => c.Phone).ToListAsync());
        Assert.Equal(["000002", "000001"], (await sms.RecentAsync()).Select(m => m.Code));
    }
}
