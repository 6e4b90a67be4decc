using System.Xml.Linq;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class CardTemplateStringsTests
{
    private static Dictionary<string, string> Strings(string file)
    {
        var folder = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(folder, "MerchantConsole")))
            folder = Path.GetDirectoryName(folder) ?? throw new DirectoryNotFoundException("Repository root not found.");
        var path = Path.Combine(folder, "MerchantConsole", "Features", "CardTemplates", file);
        return XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
    }

    [Fact]
    public void EveryCardTemplateStringExistsInEnglishAndChinese()
    {
        var english = Strings("CardTemplateStrings.resx");
        var chinese = Strings("CardTemplateStrings.zh-CN.resx");

        Assert.Equal(english.Keys.Order(), chinese.Keys.Order());
        Assert.All(chinese, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
    }
}
