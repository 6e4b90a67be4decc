using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;

namespace MerchantConsole.Tests.Domain.Coupons;

public class CouponCodePatternTests
{
    [Fact]
    public void TheDefaultAlphabetHasNoCharactersThatLookAlike()
    {
        Assert.DoesNotContain(CouponCodePattern.DefaultAlphabet, c => "0O1IL".Contains(c));
        Assert.Equal(CouponCodePattern.DefaultAlphabet.Length, CouponCodePattern.DefaultAlphabet.Distinct().Count());
    }

    [Fact]
    public void AGeneratedCodeIsThePrefixAndLengthCharactersOfTheAlphabet()
    {
        var pattern = new CouponCodePattern("vip", 8, "2345ABCDEF").Validated(totalStock: 1000);

        var codes = Enumerable.Range(0, 500).Select(_ => pattern.Generate()).ToList();

        Assert.All(codes, code =>
        {
            Assert.StartsWith("VIP", code);
            Assert.Equal(11, code.Length);
            Assert.All(code[3..], c => Assert.Contains(c, "2345ABCDEF"));
        });
    }

    [Fact]
    public void TenThousandDefaultCodesAreAllDifferent()
    {
        var pattern = CouponCodePattern.Default.Validated(totalStock: null);

        var codes = Enumerable.Range(0, 10_000).Select(_ => pattern.Generate()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public void ACollisionDrawsAgainUntilACodeIsFree()
    {
        var pattern = new CouponCodePattern("", 6, "ABCDEFGHJK").Validated(totalStock: 100);
        var draws = new Queue<int>([0, 0, 0, 0, 0, 0, /* collides */ 1, 1, 1, 1, 1, 1]);
        var taken = new HashSet<string> { "AAAAAA" };
        var asked = new List<string>();

        var code = pattern.GenerateUnique(c => { asked.Add(c); return taken.Contains(c); }, next: _ => draws.Dequeue());

        Assert.Equal("BBBBBB", code);
        Assert.Equal(["AAAAAA", "BBBBBB"], asked);
    }

    [Fact]
    public void WhenEveryAttemptCollidesNoCodeIsGivenRatherThanLoopingForever()
    {
        var pattern = new CouponCodePattern("", 6, "ABCDEFGHJK").Validated(totalStock: 100);
        var attempts = 0;

        var code = pattern.GenerateUnique(_ => { attempts++; return true; }, attempts: 5);

        Assert.Null(code);
        Assert.Equal(5, attempts);
    }

    [Theory]
    [InlineData("", 10, "ABC0DEF", "CouponTemplate.CodeAlphabetLookAlike")]
    [InlineData("", 10, "ABCIL", "CouponTemplate.CodeAlphabetLookAlike")]
    [InlineData("", 10, "AAB", "CouponTemplate.CodeAlphabetInvalid")]
    [InlineData("", 10, "AB-C", "CouponTemplate.CodeAlphabetInvalid")]
    [InlineData("TOOLONGPREFIX", 10, CouponCodePattern.DefaultAlphabet, "CouponTemplate.CodePrefixInvalid")]
    [InlineData("A-B", 10, CouponCodePattern.DefaultAlphabet, "CouponTemplate.CodePrefixInvalid")]
    [InlineData("", 5, CouponCodePattern.DefaultAlphabet, "CouponTemplate.CodeLengthInvalid")]
    [InlineData("", 25, CouponCodePattern.DefaultAlphabet, "CouponTemplate.CodeLengthInvalid")]
    [InlineData("", 6, "23456789", "CouponTemplate.CodeSpaceTooSmall")]
    public void AnInvalidPatternIsRefusedWithItsCode(string prefix, int length, string alphabet, string code)
    {
        var refusal = Assert.Throws<DomainException>(() => new CouponCodePattern(prefix, length, alphabet).Validated(totalStock: 100));

        Assert.Equal(code, refusal.Refusal.Code);
    }

    [Fact]
    public void ThePatternMustAllowAHundredCodesPerCouponOfStock()
    {
        var pattern = new CouponCodePattern("", 7, "23456789"); // 2,097,152 codes

        pattern.Validated(totalStock: 20_000);
        var refusal = Assert.Throws<DomainException>(() => pattern.Validated(totalStock: 30_000));

        Assert.Equal("CouponTemplate.CodeSpaceTooSmall", refusal.Refusal.Code);
    }

    [Fact]
    public void TypedCodesAreComparedInUpperCaseWithoutSpacesOrHyphens()
    {
        Assert.Equal("VIPAB23CD", CouponCodePattern.Normalise(" vip-ab23 cd\t"));
    }
}
