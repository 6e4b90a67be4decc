using System.Text.Json;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Tests.Domain.CardTemplates;

namespace MerchantConsole.Tests.Features.CardTemplates;

public class WalletExportTests
{
    private static JsonElement ApplePass(DisplayDesign design) =>
        JsonDocument.Parse(WalletExport.ApplePassJson(design, "pass.com.example.member", "ABCDE12345", "SN-001", SampleCard.Regular)).RootElement;

    private static JsonElement GoogleClass(DisplayDesign design, string? language = null) =>
        JsonDocument.Parse(WalletExport.GoogleLoyaltyClassJson(design, "3388000000012345", "camellia_gold",
            id => new Uri($"https://cards.example.com/images/{id}"), language)).RootElement;

    private static string[] Keys(JsonElement fields) => [.. fields.EnumerateArray().Select(f => f.GetProperty("key").GetString()!)];

    [Fact]
    public void TheApplePassCarriesIdentityBrandAndColours()
    {
        var pass = ApplePass(Designs.Compliant() with { BackgroundColor = "#63B359", TextColor = "#111111" });

        Assert.Equal(1, pass.GetProperty("formatVersion").GetInt32());
        Assert.Equal("pass.com.example.member", pass.GetProperty("passTypeIdentifier").GetString());
        Assert.Equal("ABCDE12345", pass.GetProperty("teamIdentifier").GetString());
        Assert.Equal("SN-001", pass.GetProperty("serialNumber").GetString());
        Assert.Equal("山茶咖啡", pass.GetProperty("organizationName").GetString());
        Assert.Equal("山茶咖啡", pass.GetProperty("logoText").GetString());
        Assert.Equal("山茶咖啡会员卡", pass.GetProperty("description").GetString());
        Assert.Equal("rgb(17, 17, 17)", pass.GetProperty("foregroundColor").GetString());
        Assert.Equal("rgb(17, 17, 17)", pass.GetProperty("labelColor").GetString());
        Assert.Equal("rgb(99, 179, 89)", pass.GetProperty("backgroundColor").GetString());
    }

    [Theory]
    [InlineData(BarcodeKind.QrCode, "PKBarcodeFormatQR")]
    [InlineData(BarcodeKind.Code128, "PKBarcodeFormatCode128")]
    public void TheApplePassBarcodeEncodesTheCardNumber(BarcodeKind kind, string format)
    {
        var barcode = Assert.Single(ApplePass(Designs.Compliant() with { Barcode = kind }).GetProperty("barcodes").EnumerateArray());

        Assert.Equal(format, barcode.GetProperty("format").GetString());
        Assert.Equal("880012345678", barcode.GetProperty("message").GetString());
        Assert.Equal("iso-8859-1", barcode.GetProperty("messageEncoding").GetString());
        Assert.Equal("8800 1234 5678", barcode.GetProperty("altText").GetString());
    }

    [Fact]
    public void AnApplePassWithoutABarcodeHasNoBarcodes() =>
        Assert.False(ApplePass(Designs.Compliant() with { Barcode = BarcodeKind.None }).TryGetProperty("barcodes", out _));

    [Fact]
    public void TheApplePassLaysOutShownFieldsCustomCellsAndTheBack()
    {
        var design = Designs.Compliant() with
        {
            ShownFields = ShownFields.CardNumber | ShownFields.Tier | ShownFields.Balance,
            CustomCells = [new CustomCell("会员", CellValueSource.MemberName), new CustomCell("门店", CellValueSource.FixedText, "静安店")],
        };

        var storeCard = ApplePass(design).GetProperty("storeCard");

        var primary = Assert.Single(storeCard.GetProperty("primaryFields").EnumerateArray());
        Assert.Equal("cardNumber", primary.GetProperty("key").GetString());
        Assert.Equal("8800 1234 5678", primary.GetProperty("value").GetString());
        Assert.Equal(["tier", "balance"], Keys(storeCard.GetProperty("secondaryFields")));
        Assert.Equal("CNY 128.00", storeCard.GetProperty("secondaryFields")[1].GetProperty("value").GetString());
        var auxiliary = storeCard.GetProperty("auxiliaryFields");
        Assert.Equal(["custom1", "custom2"], Keys(auxiliary));
        Assert.Equal("会员", auxiliary[0].GetProperty("label").GetString());
        Assert.Equal("韩梅梅", auxiliary[0].GetProperty("value").GetString());
        Assert.Equal("静安店", auxiliary[1].GetProperty("value").GetString());
        var back = storeCard.GetProperty("backFields");
        Assert.Equal(["subtitle", "notice", "description", "servicePhone"], Keys(back));
        Assert.Equal("出示会员码即可积分", back[1].GetProperty("value").GetString());
        Assert.Equal("400-820-8820", back[3].GetProperty("value").GetString());
    }

    [Fact]
    public void EmptyBackTextIsLeftOffTheApplePass()
    {
        var storeCard = ApplePass(Designs.Compliant() with { Subtitle = null, Notice = "", Description = null }).GetProperty("storeCard");

        Assert.Equal(["servicePhone"], Keys(storeCard.GetProperty("backFields")));
    }

    [Fact]
    public void ExportingAnInvalidDesignOrWithoutASerialNumberIsRefused()
    {
        Assert.Throws<DomainException>(() => ApplePass(Designs.Compliant() with { TextColor = "white" }));
        Assert.Throws<DomainException>(() =>
            WalletExport.ApplePassJson(Designs.Compliant(), "pass.com.example.member", "ABCDE12345", " ", SampleCard.Regular));
    }

    [Fact]
    public void TheGoogleLoyaltyClassCarriesIdBrandProgramLogoAndColour()
    {
        var loyaltyClass = GoogleClass(Designs.Compliant());

        Assert.Equal("3388000000012345.camellia_gold", loyaltyClass.GetProperty("id").GetString());
        Assert.Equal("山茶咖啡", loyaltyClass.GetProperty("issuerName").GetString());
        Assert.Equal("山茶咖啡会员卡", loyaltyClass.GetProperty("programName").GetString());
        Assert.Equal($"https://cards.example.com/images/{Designs.LogoId}",
            loyaltyClass.GetProperty("programLogo").GetProperty("sourceUri").GetProperty("uri").GetString());
        Assert.Equal("#63B359", loyaltyClass.GetProperty("hexBackgroundColor").GetString());
        Assert.Equal("UNDER_REVIEW", loyaltyClass.GetProperty("reviewStatus").GetString());
        Assert.False(loyaltyClass.TryGetProperty("localizedIssuerName", out _));
    }

    [Fact]
    public void TheGoogleLoyaltyClassLocalizesTheIssuerNameWhenALanguageIsGiven()
    {
        var name = GoogleClass(Designs.Compliant(), "zh-CN").GetProperty("localizedIssuerName").GetProperty("defaultValue");

        Assert.Equal("zh-CN", name.GetProperty("language").GetString());
        Assert.Equal("山茶咖啡", name.GetProperty("value").GetString());
    }

    [Fact]
    public void TheGoogleLoyaltyClassCarriesNoticeDescriptionAndACallablePhone()
    {
        var loyaltyClass = GoogleClass(Designs.Compliant() with { ServicePhone = "+86 (21) 1234-5678" });

        var modules = loyaltyClass.GetProperty("textModulesData");
        Assert.Equal(["notice", "description"], modules.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("出示会员码即可积分", modules[0].GetProperty("body").GetString());
        Assert.Equal("消费满 10 元积 1 分，积分可抵现。", modules[1].GetProperty("body").GetString());
        var link = Assert.Single(loyaltyClass.GetProperty("linksModuleData").GetProperty("uris").EnumerateArray());
        Assert.Equal("tel:+86211234-5678", link.GetProperty("uri").GetString());
    }

    [Fact]
    public void AGoogleClassWithoutNoticeDescriptionOrPhoneLeavesTheirModulesOut()
    {
        var loyaltyClass = GoogleClass(Designs.Compliant() with { Notice = null, Description = " ", ServicePhone = null });

        Assert.False(loyaltyClass.TryGetProperty("textModulesData", out _));
        Assert.False(loyaltyClass.TryGetProperty("linksModuleData", out _));
    }

    [Theory]
    [InlineData("issuer", "suffix")]
    [InlineData("3388000000012345", "gold card")]
    [InlineData("3388000000012345", "")]
    public void AGoogleClassIdOfTheWrongShapeIsRefused(string issuerId, string classSuffix) =>
        Assert.Throws<DomainException>(() =>
            WalletExport.GoogleLoyaltyClassJson(Designs.Compliant(), issuerId, classSuffix, id => new Uri("https://x.example/" + id)));

    [Fact]
    public void ExportedJsonKeepsChineseReadable() =>
        Assert.Contains("山茶咖啡", WalletExport.ApplePassJson(Designs.Compliant(), "p", "t", "s", SampleCard.Regular));
}
