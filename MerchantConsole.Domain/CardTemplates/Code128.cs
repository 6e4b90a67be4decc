using System.Text;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.CardTemplates;

/// <summary>
/// Code 128, code set B only: every printable ASCII character, which covers card numbers. The encoding (which
/// bars and spaces); drawing it is the card templates feature's job. Wallets draw their own from the pass.
/// </summary>
public static class Code128
{
    public const int StartB = 104;
    public const int Stop = 106;

    // Bar/space widths per symbol value, bar first; each symbol is 11 modules, the stop symbol 13.
    private static readonly string[] Patterns =
    [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ];

    /// <summary>Start B, one value per character, the checksum, and stop.</summary>
    public static IReadOnlyList<int> Symbols(string text)
    {
        if (string.IsNullOrEmpty(text))
            throw new DomainException("Barcode.TextRequired", "A barcode needs some text to encode.");
        var values = new List<int>(text.Length + 3) { StartB };
        foreach (var c in text)
        {
            if (c < ' ' || c > '~')
                throw new DomainException("Barcode.CharacterNotEncodable", "Code 128 set B cannot encode '{Character}'; use printable ASCII characters.", ("Character", c.ToString()));
            values.Add(c - ' ');
        }
        values.Add(Checksum(values));
        values.Add(Stop);
        return values;
    }

    /// <summary>Modulo 103 of the start value plus each data value times its position (1-based).</summary>
    public static int Checksum(IReadOnlyList<int> startAndData)
    {
        var sum = startAndData[0];
        for (var i = 1; i < startAndData.Count; i++)
            sum += startAndData[i] * i;
        return sum % 103;
    }

    /// <summary>The bar widths of one symbol value, bar first.</summary>
    public static string Pattern(int value) => Patterns[value];

    /// <summary>One character per module: '1' bar, '0' space; quiet zones not included.</summary>
    public static string Modules(string text)
    {
        var modules = new StringBuilder();
        foreach (var value in Symbols(text))
        {
            var bar = true;
            foreach (var width in Patterns[value])
            {
                modules.Append(bar ? '1' : '0', width - '0');
                bar = !bar;
            }
        }
        return modules.ToString();
    }
}
