using System.Diagnostics.CodeAnalysis;
using System.Globalization;
namespace MerchantConsole.Domain.Common;

/// <summary>The one home of colour rules: colours are written <c>#RRGGBB</c>, either case (card designs, tier colours).</summary>
public static class HexColor
{
    public static bool IsValid([NotNullWhen(true)] string? hex) => TryParse(hex, out _);

    public static bool TryParse([NotNullWhen(true)] string? hex, out (byte R, byte G, byte B) rgb)
    {
        rgb = default;
        if (hex is not { Length: 7 } || hex[0] != '#' || !hex.Skip(1).All(char.IsAsciiHexDigit))
            return false;
        var value = int.Parse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        rgb = ((byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }

    public static (byte R, byte G, byte B) Parse(string? hex) =>
        TryParse(hex, out var rgb) ? rgb : throw new DomainException("Colour.Invalid", "'{Colour}' is not a colour in the form #RRGGBB.", ("Colour", hex));

    /// <summary><paramref name="hex"/> in upper case, or a <c>Colour.Invalid</c> refusal.</summary>
    public static string Normalise(string? hex)
    {
        Parse(hex);
        return hex!.ToUpperInvariant();
    }
}
