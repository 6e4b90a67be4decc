using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.CardTemplates;

/// <summary>The demo data reaches the card templates feature through the seed it registers, not by Data calling it.</summary>
[Collection(AppCollection.Name)]
public sealed class CardTemplateDemoTests(AppFixture app)
{
    [Fact]
    public async Task EveryDemoMerchantHasThePublishedDemoCardTheFeatureSeeds()
    {
        Assert.Contains(app.Factory.Services.CreateScope().ServiceProvider.GetServices<IDemoMerchantSeed>(),
            s => s.GetType().Namespace == "MerchantConsole.Features.CardTemplates");
        var contexts = app.Factory.Services.GetRequiredService<ProviderContextOptions>();
        await using var db = contexts.CreateAcrossMerchants("demo-test");
        var demoMerchants = await db.Merchants.Where(m => m.Code == "aroma-coffee" || m.Code == "fresh-orchard").Select(m => m.Id).ToListAsync();
        var publishedBySeed = await db.Set<CardTemplateVersion>()
            .Where(v => v.PublishedBy == "demo-seed" && v.Status == CardTemplateVersionStatus.Published)
            .Join(db.CardTemplates, v => v.CardTemplateId, t => t.Id, (v, t) => t.MerchantId)
            .Where(m => demoMerchants.Contains(m)).Distinct().ToListAsync();

        Assert.Equal(2, demoMerchants.Count);
        Assert.Equal(demoMerchants.Order(), publishedBySeed.Order());
    }
}
