using System.Globalization;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// Lengths as a reader counts them: one Chinese character or one emoji is one, however many UTF-16
/// units it takes. Platform limits are stated that way.
/// </summary>
public static class TextLength
{
    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : new StringInfo(text).LengthInTextElements;
}
