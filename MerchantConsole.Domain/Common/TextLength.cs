using System.Globalization;
using System.Text;

namespace MerchantConsole.Domain.Common;

/// <summary>What is wrong with a text under its <see cref="TextLimit"/>.</summary>
public enum TextProblem
{
    None,
    /// <summary>More text elements than the limit: the length the person sees and the counter shows.</summary>
    TooLong,
    /// <summary>Within the limit as counted, but more UTF-16 units than the column holds (long emoji sequences).</summary>
    TooLongToStore,
    /// <summary>A character carries more combining marks than any language needs ("Zalgo" text).</summary>
    TooManyMarks,
}

/// <summary>The outcome of a check; <see cref="Max"/> and <see cref="Actual"/> are in the unit of the problem.</summary>
public readonly record struct TextCheck(TextProblem Problem, int Max = 0, int Actual = 0)
{
    public bool Passed => Problem == TextProblem.None;
}

/// <summary>
/// A limit on text people type, counted two ways. For the person: text elements (one Chinese character,
/// one emoji, one accented letter is one, however many UTF-16 units it takes); that is the number a form
/// shows and a wallet platform states. For storage: UTF-16 units, the unit a database column is sized in,
/// so text the rule accepts never overflows its column. Entity configurations size columns with
/// <see cref="MaxUtf16"/>; ARCHITECTURE.md, "Text limits".
/// </summary>
public sealed record TextLimit(int MaxElements, int MaxUtf16)
{
    /// <summary>
    /// Storage allowed per element when a limit does not say: Chinese and Latin text take one unit, an emoji
    /// two, a flag four; only long joined emoji sequences (a family is eleven) run out before the element count.
    /// </summary>
    public const int Utf16PerElement = 4;

    public static TextLimit Of(int maxElements) => new(maxElements, maxElements * Utf16PerElement);

    public TextCheck Check(string? text) => TextLength.Check(text, this);

    /// <summary>
    /// Refuses text over the limit with a coded refusal. <paramref name="field"/> is a stable name for the
    /// field (such as <c>PlanName</c>), <paramref name="label"/> the English words for it.
    /// </summary>
    public void Enforce(string? text, string field, string label)
    {
        var check = Check(text);
        switch (check.Problem)
        {
            case TextProblem.TooLong:
                throw new DomainException("Text.TooLong", $"{label} is at most {check.Max} characters (now {check.Actual}).",
                    ("Field", field), ("Max", check.Max), ("Actual", check.Actual));
            case TextProblem.TooLongToStore:
                throw new DomainException("Text.TooLongToStore",
                    $"{label} takes too much room to store ({check.Actual} of {check.Max} units): emoji and some symbols count several times. Shorten it.",
                    ("Field", field), ("Max", check.Max), ("Actual", check.Actual));
            case TextProblem.TooManyMarks:
                throw new DomainException("Text.TooManyMarks",
                    $"{label} stacks {check.Actual} accents or marks on one character; at most {check.Max} are allowed.",
                    ("Field", field), ("Max", check.Max), ("Actual", check.Actual));
        }
    }
}

/// <summary>The one home of how text is measured; every limit on typed text goes through <see cref="Check"/>.</summary>
public static class TextLength
{
    /// <summary>
    /// Vietnamese, Hindi, Thai or pointed Hebrew put at most three marks on a letter; "Zalgo" text stacks
    /// dozens, which spill over neighbouring lines and fields wherever the text is shown.
    /// </summary>
    public const int MaxMarksPerElement = 3;

    /// <summary>Lengths as a reader counts them.</summary>
    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : new StringInfo(text).LengthInTextElements;

    public static TextCheck Check(string? text, TextLimit limit)
    {
        if (string.IsNullOrEmpty(text))
            return new(TextProblem.None);
        var marks = MostMarksOnOneElement(text);
        if (marks > MaxMarksPerElement)
            return new(TextProblem.TooManyMarks, MaxMarksPerElement, marks);
        var elements = Of(text);
        if (elements > limit.MaxElements)
            return new(TextProblem.TooLong, limit.MaxElements, elements);
        if (text.Length > limit.MaxUtf16)
            return new(TextProblem.TooLongToStore, limit.MaxUtf16, text.Length);
        return new(TextProblem.None);
    }

    /// <summary>
    /// Cuts text the system writes (error messages, file names) to fit a column, never inside a text
    /// element, so no half surrogate pair or stray mark is stored.
    /// </summary>
    public static string Clip(string text, int maxUtf16)
    {
        if (text.Length <= maxUtf16)
            return text;
        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var next = elements.ElementIndex + elements.GetTextElement().Length;
            if (next > maxUtf16)
                break;
            end = next;
        }
        return text[..end];
    }

    private static int MostMarksOnOneElement(string text)
    {
        var most = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (element.Length <= MaxMarksPerElement)
                continue;
            var marks = 0;
            foreach (var rune in element.EnumerateRunes())
                if (IsCombiningMark(rune))
                    marks++;
            most = Math.Max(most, marks);
        }
        return most;
    }

    // Variation selectors are marks too, but they only pick emoji or text presentation (one per emoji).
    private static bool IsCombiningMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        && rune.Value is not (>= 0xFE00 and <= 0xFE0F) and not (>= 0xE0100 and <= 0xE01EF);
}
