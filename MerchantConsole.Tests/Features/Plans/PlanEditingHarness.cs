using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.Plans;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Plans;

/// <summary>A real database with two merchants and the plan services for each, as the app builds them.</summary>
internal sealed class PlanEditingHarness : IAsyncDisposable
{
    private PlanEditingHarness(TestDatabase database, Merchant merchant, Merchant otherMerchant)
    {
        Database = database;
        Merchant = merchant;
        OtherMerchant = otherMerchant;
    }

    public TestDatabase Database { get; }
    public Merchant Merchant { get; }
    public Merchant OtherMerchant { get; }

    public static async Task<PlanEditingHarness> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("plans-a");
        var other = await database.AddMerchantAsync("plans-b");
        return new PlanEditingHarness(database, merchant, other);
    }

    /// <summary>The plan services acting for <paramref name="merchantId"/> (the harness's merchant by default), as one staff member's circuit.</summary>
    public PlanServices Service(Guid? merchantId = null, string actor = "admin@plans.test")
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId ?? Merchant.Id, actor);
        var contexts = new MerchantDbContextFactory(Database.Contexts, scope);
        return new PlanServices(new PlanQueries(contexts), new PlanWizardService(contexts, Database.Clock));
    }

    public static IStringLocalizer<PlanStrings> Localizer() =>
        new StringLocalizer<PlanStrings>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    public async Task<CardTemplateVersion> PublishedTemplateVersionAsync(Guid? merchantId = null)
    {
        var owner = merchantId ?? Merchant.Id;
        var template = CardTemplate.Create(owner, "Coffee card", Designs.Compliant(), "tester", Database.Clock.GetUtcNow());
        var version = template.Publish("tester", Database.Clock.GetUtcNow());
        await using var db = Database.For(owner);
        db.CardTemplates.Add(template);
        await db.SaveChangesAsync();
        return version;
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

/// <summary>What one staff member's circuit has for plans: the reads and the wizard's saves.</summary>
internal sealed record PlanServices(PlanQueries Queries, PlanWizardService Wizard);
