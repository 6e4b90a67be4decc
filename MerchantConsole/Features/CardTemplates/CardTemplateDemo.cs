using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>One published demo card per demo merchant, so the designer and previews have something to show.</summary>
public sealed class CardTemplateDemo(ProviderContextOptions contexts, TimeProvider clock) : IDemoMerchantSeed
{
    public async Task SeedAsync(Guid merchantId, string merchantName, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateForMerchant(merchantId, SystemActors.Demo);
        if (await db.CardTemplates.AnyAsync(cancellationToken))
            return;
        var coffee = merchantName.Contains("Coffee", StringComparison.OrdinalIgnoreCase);
        var design = new DisplayDesign
        {
            BrandName = coffee ? "香醇咖啡" : "鲜果园",
            BackgroundColor = coffee ? "#D09A45" : "#63B359",
            TextColor = "#111111",
            Title = coffee ? "香醇会员卡" : "鲜果会员卡",
            Subtitle = coffee ? "每一杯都算数" : "新鲜每一天",
            Notice = "结账时出示会员码",
            Description = coffee ? "消费满 10 元积 1 分，积分可抵现。" : "会员价商品随时享受，积分可兑换水果。",
            ServicePhone = "400-820-8820",
            Barcode = BarcodeKind.QrCode,
            ShownFields = ShownFields.CardNumber | ShownFields.Tier | ShownFields.Points,
        };
        var template = CardTemplate.Create(merchantId, coffee ? "标准会员卡" : "鲜果会员卡", design, "demo-seed", now);
        template.Publish("demo-seed", now);
        db.CardTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
    }
}
