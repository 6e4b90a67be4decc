using MerchantConsole.Domain.CardTemplates;

namespace MerchantConsole.Tests.Domain.CardTemplates;

/// <summary>Test designs. <see cref="Compliant"/> passes validation and every platform limit.</summary>
internal static class Designs
{
    public static readonly Guid LogoId = Guid.Parse("11111111-2222-3333-4444-555555555555");

    public static DisplayDesign Compliant() => new()
    {
        BrandName = "山茶咖啡",
        LogoImageId = LogoId,
        BackgroundColor = "#63B359",
        TextColor = "#111111",
        Title = "山茶咖啡会员卡",
        Subtitle = "每一杯都算数",
        Notice = "出示会员码即可积分",
        Description = "消费满 10 元积 1 分，积分可抵现。",
        ServicePhone = "400-820-8820",
        Barcode = BarcodeKind.QrCode,
        ShownFields = ShownFields.CardNumber | ShownFields.Tier | ShownFields.Points | ShownFields.Balance,
        CustomCells = [new CustomCell("会员", CellValueSource.MemberName)],
    };

    public static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
