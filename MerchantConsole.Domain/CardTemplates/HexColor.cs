using System.Globalization;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>Colours as the designer writes them: <c>#RRGGBB</c>, either case.</summary>
public static class HexColor
{
    public static bool IsValid(string? hex) => TryParse(hex, out _);

    public static bool TryParse(string? hex, out (byte R, byte G, byte B) rgb)
    {
        rgb = default;
        if (hex is not { Length: 7 } || hex[0] != '#' || !hex.Skip(1).All(char.IsAsciiHexDigit))
            return false;
        var value = int.Parse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        rgb = ((byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }

    public static (byte R, byte G, byte B) Parse(string hex) =>
        TryParse(hex, out var rgb) ? rgb : throw new DomainException("Colour.Invalid", "'{Colour}' is not a colour in the form #RRGGBB.", ("Colour", hex));
}
