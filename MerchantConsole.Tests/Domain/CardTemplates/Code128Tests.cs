using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public sealed class Code128Tests
{
    [Fact]
    public void TheChecksumOfTheTextbookExampleIs55()
    {
        // "PJJ123C": 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879, and 879 mod 103 = 55.
        var symbols = Code128.Symbols("PJJ123C");

        Assert.Equal([104, 48, 42, 42, 17, 18, 19, 35, 55, 106], symbols);
    }

    [Fact]
    public void ModulesStartWithStartBAndEndWithStop()
    {
        var modules = Code128.Modules("88001234");

        Assert.StartsWith("11010010000", modules);
        Assert.EndsWith("1100011101011", modules);
    }

    [Fact]
    public void EachCharacterIsElevenModulesAndStopIsThirteen()
    {
        var text = "8800 1234 5678";

        // start + characters + checksum, 11 modules each, then the 13-module stop.
        Assert.Equal((text.Length + 2) * 11 + 13, Code128.Modules(text).Length);
    }

    [Fact]
    public void EveryPatternIsElevenModulesWideWithThreeBars()
    {
        for (var value = 0; value < Code128.Stop; value++)
        {
            var pattern = Code128.Pattern(value);
            Assert.Equal(6, pattern.Length);
            Assert.Equal(11, pattern.Sum(c => c - '0'));
        }
        Assert.Equal(13, Code128.Pattern(Code128.Stop).Sum(c => c - '0'));
    }

    [Fact]
    public void TheEncodingOfADigitMatchesTheTable()
    {
        // '1' is value 17, pattern 123221: bar 1, space 2, bar 3, space 2, bar 2, space 1.
        var modules = Code128.Modules("1");

        Assert.Equal("10011100110", modules.Substring(11, 11));
    }

    [Fact]
    public void CharactersOutsideSetBAreRefused() =>
        Assert.Throws<DomainException>(() => Code128.Symbols("会员"));
}
