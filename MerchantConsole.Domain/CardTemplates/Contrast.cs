using System.Globalization;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

public sealed record ContrastWarning(double Ratio, double Minimum, string Message);

/// <summary>WCAG 2.x contrast between two sRGB colours.</summary>
public static class Contrast
{
    /// <summary>WCAG AA for normal-size text; card text is small.</summary>
    public const double MinimumForText = 4.5;

    /// <summary>From 1 (same colour) to 21 (black on white); the order of the colours does not matter.</summary>
    public static double ContrastRatio(string hexA, string hexB)
    {
        var a = RelativeLuminance(hexA);
        var b = RelativeLuminance(hexB);
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    public static double RelativeLuminance(string hex)
    {
        var (r, g, b) = HexColor.Parse(hex);
        return 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
    }

    /// <summary>
    /// A warning when the text colour is hard to read on the background colour; none when it is
    /// readable or when either colour is invalid (the validator reports that).
    /// </summary>
    public static ContrastWarning? TextWarning(DisplayDesign design)
    {
        if (!HexColor.IsValid(design.TextColor) || !HexColor.IsValid(design.BackgroundColor))
            return null;
        var ratio = ContrastRatio(design.TextColor, design.BackgroundColor);
        if (ratio >= MinimumForText)
            return null;
        return new ContrastWarning(ratio, MinimumForText, string.Create(CultureInfo.InvariantCulture,
            $"Text colour {design.TextColor} on background {design.BackgroundColor} has a contrast of {ratio:0.00}:1; " +
            $"at least {MinimumForText}:1 keeps small text readable."));
    }

    private static double Linear(byte channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
