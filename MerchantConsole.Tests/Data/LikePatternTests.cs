using MerchantConsole.Data;

namespace MerchantConsole.Tests.Data;

public sealed class LikePatternTests
{
    [Theory]
    [InlineData("tea", "%tea%")]
    [InlineData("  tea  ", "%tea%")]
    [InlineData("50%", "%50\\%%")]
    [InlineData("a_b", "%a\\_b%")]
    [InlineData("c:\\", "%c:\\\\%")]
    public void TypedTextIsMatchedLiterally(string typed, string pattern) => Assert.Equal(pattern, LikePattern.Containing(typed));
}
