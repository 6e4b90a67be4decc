namespace MerchantConsole.Data;

/// <summary>
/// The one home of searching typed text with SQL <c>LIKE</c>: what the user typed is matched literally, so a
/// <c>%</c> or <c>_</c> in it finds itself instead of matching anything. Use as
/// <c>EF.Functions.Like(column, LikePattern.Containing(text), LikePattern.Escape)</c>. It ignores case on every provider
/// (on PostgreSQL through <see cref="PostgreSqlCaseInsensitiveLike"/>).
/// </summary>
public static class LikePattern
{
    public const string Escape = "\\";

    /// <summary>A pattern matching any value that contains <paramref name="text"/> (trimmed) literally.</summary>
    public static string Containing(string text) => "%" + Literal(text.Trim()) + "%";

    public static string Literal(string text) =>
        text.Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_");
}
