using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.CardTemplates;

/// <summary>A real database with two merchants and a <see cref="CardTemplateService"/> per staff member.</summary>
internal sealed class CardTemplateHarness : IAsyncDisposable
{
    private CardTemplateHarness(TestDatabase database, Merchant merchant, Merchant other)
    {
        Database = database;
        Merchant = merchant;
        OtherMerchant = other;
    }

    public TestDatabase Database { get; }
    public Merchant Merchant { get; }
    public Merchant OtherMerchant { get; }

    public static async Task<CardTemplateHarness> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        return new CardTemplateHarness(database, await database.AddMerchantAsync("cards-a"), await database.AddMerchantAsync("cards-b"));
    }

    public IDbContextFactory<MerchantDbContext> Contexts(Guid? merchantId = null, string actor = "admin@cards.test")
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId ?? Merchant.Id, actor);
        return new MerchantDbContextFactory(Database.Contexts, scope);
    }

    public CardTemplateService Service(Guid? merchantId = null, string actor = "admin@cards.test") =>
        new(Contexts(merchantId, actor), Database.Clock);

    public static DisplayDesign Design(string title = "山茶咖啡会员卡") => new()
    {
        BrandName = "山茶咖啡",
        BackgroundColor = "#63B359",
        TextColor = "#111111",
        Title = title,
        Notice = "出示会员码即可积分",
        ServicePhone = "400-820-8820",
    };

    public async Task<int> CountAsync<T>() where T : class
    {
        await using var db = Database.Unscoped();
        return await db.Set<T>().IgnoreQueryFilters().CountAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
