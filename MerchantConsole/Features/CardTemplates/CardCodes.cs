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
        BarcodeKind.Code128 => "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Code128.Svg(Payload(card)))),
        _ => null,
    };

    private static string QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
