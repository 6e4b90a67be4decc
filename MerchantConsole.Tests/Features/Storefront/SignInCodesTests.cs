using MerchantConsole.Features.Storefront;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Storefront;

public sealed class SignInCodesTests
{
    private static readonly Guid Merchant = Guid.NewGuid();
    private const string Phone = "13900001111";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    private SignInCodes Codes(int attempts = 3) =>
        new(_clock, Options.Create(new StorefrontOptions { CodeLifetime = TimeSpan.FromMinutes(5), MaxCodeAttempts = attempts }));

    [Fact]
    public void ACodeIsAcceptedOnceThenNoLonger()
    {
        var codes = Codes();
        var (code, _) = codes.Issue(Merchant, Phone);

        Assert.Equal(CodeCheck.Accepted, codes.Check(Merchant, Phone, code));
        Assert.Equal(CodeCheck.NoCode, codes.Check(Merchant, Phone, code));
    }

    [Fact]
    public void ACodeUsedAfterItsLifetimeIsExpired()
    {
        var codes = Codes();
        var (code, expiresAt) = codes.Issue(Merchant, Phone);

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(_clock.GetUtcNow(), expiresAt);
        Assert.Equal(CodeCheck.Expired, codes.Check(Merchant, Phone, code));
        Assert.Equal(CodeCheck.NoCode, codes.Check(Merchant, Phone, code));
    }

    [Fact]
    public void ACodeJustBeforeItsEndStillWorks()
    {
        var codes = Codes();
        var (code, _) = codes.Issue(Merchant, Phone);

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.Equal(CodeCheck.Accepted, codes.Check(Merchant, Phone, code));
    }

    [Fact]
    public void TooManyWrongGuessesVoidTheCode()
    {
        var codes = Codes(attempts: 3);
        var (code, _) = codes.Issue(Merchant, Phone);
        var wrong = code == "000000" ? "111111" : "000000";

        var guesses = Enumerable.Range(0, 3).Select(_ => codes.Check(Merchant, Phone, wrong)).ToList();

        Assert.All(guesses, g => Assert.Equal(CodeCheck.Wrong, g));
        Assert.Equal(CodeCheck.NoCode, codes.Check(Merchant, Phone, code));
    }

    [Fact]
    public void ANewCodeReplacesTheOldAndCodesAreKeptPerMerchant()
    {
        var codes = Codes();
        var (old, _) = codes.Issue(Merchant, Phone);
        var (fresh, _) = codes.Issue(Merchant, Phone);

        Assert.Equal(CodeCheck.NoCode, codes.Check(Guid.NewGuid(), Phone, fresh));
        if (old != fresh)
            Assert.Equal(CodeCheck.Wrong, codes.Check(Merchant, Phone, old));
        Assert.Equal(CodeCheck.Accepted, codes.Check(Merchant, Phone, fresh));
    }
}
