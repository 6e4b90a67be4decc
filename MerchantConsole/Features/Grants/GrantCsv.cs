using System.Runtime.CompilerServices;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Features.Grants;

/// <summary>
/// Reads a grant's CSV one line at a time (never the whole file in memory): one member reference per row, in the
/// first column or in the column a header names (card number, phone, external reference). A first line whose
/// reference cell is such a column name is the header and not a reference.
/// </summary>
public static class GrantCsv
{
    private static readonly HashSet<string> HeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "reference", "member", "card", "card number", "cardnumber", "card_number", "phone", "mobile", "external ref", "externalref", "external_ref",
        "会员", "会员卡号", "卡号", "手机", "手机号", "手机号码", "外部编号", "编号", "参考",
    };

    public static async IAsyncEnumerable<(int Row, string Reference)> ReadAsync(Stream stream, int maxRows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var column = 0;
        var row = 0;
        var references = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            row++;
            var cells = Split(line);
            if (row == 1)
            {
                var header = cells.FindIndex(c => HeaderNames.Contains(c.Trim()));
                if (header >= 0)
                {
                    column = header;
                    continue;
                }
            }
            var reference = column < cells.Count ? cells[column].Trim() : "";
            if (reference.Length == 0)
                continue;
            if (++references > maxRows)
                throw new DomainException("Grant.TooManyRows", "A grant file has at most {Max} rows.", ("Max", maxRows));
            yield return (row, reference);
        }
    }

    /// <summary>The cells of one line: commas separate, double quotes enclose, a doubled quote is a quote.</summary>
    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c is ',' or ';' or '\t') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>A cell for the report; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.</summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
