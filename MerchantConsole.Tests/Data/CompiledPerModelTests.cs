using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Data;

/// <summary>A compiled query used by a merchant's page and by support's cross-merchant reads alike (two models, one process).</summary>
[Collection(AppCollection.Name)]
public sealed class CompiledPerModelTests(AppFixture app)
{
    private static readonly CompiledPerModel<Func<MerchantDbContext, Task<int>>> CountMemberships =
        new(() => EF.CompileAsyncQuery((MerchantDbContext db) => db.Memberships.Count()));

    [Fact]
    public async Task OneCompiledQueryRunsOnTheMerchantScopedAndTheAcrossMerchantsModel()
    {
        var contexts = app.Factory.Services.GetRequiredService<ProviderContextOptions>();
        Guid aroma;
        await using (var db = app.Factory.CreateUnscopedContext())
            aroma = (await db.Merchants.SingleAsync(m => m.Code == "aroma-coffee")).Id;
        await using var scoped = contexts.CreateForMerchant(aroma, "test");
        await using var across = contexts.CreateAcrossMerchants("test");

        var own = await CountMemberships.For(scoped)(scoped);
        var all = await CountMemberships.For(across)(across);

        Assert.True(own > 0, "Aroma has demo members");
        Assert.True(all > own, "the across-merchants model also counts Fresh Orchard's members");
    }
}
