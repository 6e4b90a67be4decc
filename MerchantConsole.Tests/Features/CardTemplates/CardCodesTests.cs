using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Features.CardTemplates;

namespace MerchantConsole.Tests.Features.CardTemplates;

public class CardCodesTests
{
    [Fact]
    public void TheCode128SvgDrawsOneRectanglePerBar()
    {
        var svg = CardCodes.Code128Svg("PJJ123C");
        var bars = Code128.Symbols("PJJ123C").Count * 3 + 1; // three bars a symbol, the stop has four

        Assert.StartsWith("<svg", svg);
        Assert.Equal(bars + 1, svg.Split("<rect").Length - 1); // plus the white background
    }
}
