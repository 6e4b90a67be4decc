using System.Globalization;
using System.Text;
using MerchantConsole.Domain.CardTemplates;
using QRCoder;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>Real, scannable codes for the preview, as data URIs an &lt;img&gt; can show.</summary>
public static class CardCodes
{
    /// <summary>What a scanner reads: the card number without the spaces printed for readability.</summary>
    public static string Payload(SampleCard card) => card.CardNumber.Replace(" ", "", StringComparison.Ordinal);

    public static string? DataUri(BarcodeKind kind, SampleCard card) => kind switch
    {
        BarcodeKind.QrCode => QrPng(Payload(card)),
        BarcodeKind.Code128 => "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Code128Svg(Payload(card)))),
        _ => null,
    };

    /// <summary>An SVG of the <see cref="Code128"/> barcode with the 10-module quiet zone on each side.</summary>
    public static string Code128Svg(string text, int moduleWidth = 2, int height = 60)
    {
        const int quiet = 10;
        var modules = Code128.Modules(text);
        var width = (modules.Length + 2 * quiet) * moduleWidth;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>");
        for (var i = 0; i < modules.Length;)
        {
            if (modules[i] == '0') { i++; continue; }
            var start = i;
            while (i < modules.Length && modules[i] == '1') i++;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{(quiet + start) * moduleWidth}\" y=\"0\" width=\"{(i - start) * moduleWidth}\" height=\"{height}\" fill=\"#000\"/>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
