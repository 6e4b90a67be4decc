using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Tests.Domain.Plans;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Plans;

public sealed class PlanEditingServiceTests : IAsyncLifetime
{
    private PlanEditingHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await PlanEditingHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private PlanServices Service => _harness.Service();

    [Fact]
    public async Task CreatingAPlanSavesItsBasicsAsADraft()
    {
        var version = await _harness.PublishedTemplateVersionAsync();

        var result = await Service.Wizard.CreateAsync(new BasicsForm
        {
            Name = "  Coffee Club ", Description = "Free cup monthly", CardTemplateVersionId = version.Id, Currency = "CNY",
            ValidityPolicy = ValidityPolicy.FixedDays, ValidityDays = 365,
        });

        Assert.Equal(PlanSaveOutcome.Saved, result.Outcome);
        var model = await Service.Queries.LoadAsync(result.PlanId!.Value);
        Assert.NotNull(model);
        Assert.Equal(PlanStatus.Draft, model.Status);
        Assert.Equal("Coffee Club", model.Basics.Name);
        Assert.Equal(version.Id, model.Basics.CardTemplateVersionId);
        Assert.Equal(ValidityPolicy.FixedDays, model.Basics.ValidityPolicy);
        Assert.Equal(365, model.Basics.ValidityDays);
        Assert.Equal(result.Stamp, model.Stamp);
    }

    [Fact]
    public async Task ABasicsFormARuleRefusesIsNotSavedAndSaysWhy()
    {
        var result = await Service.Wizard.CreateAsync(new BasicsForm { Name = "", Currency = "CNY" });

        Assert.Equal(PlanSaveOutcome.Invalid, result.Outcome);
        Assert.Contains("name is required", result.Refusal?.English);
        Assert.Equal(0, await Service.Queries.CountAsync());
    }

    [Fact]
    public async Task SavingTiersAddsRenamesReordersAndRemovesThemWithContiguousRanks()
    {
        var model = await CreateDraftAsync();
        var saved = await Service.Wizard.SaveTiersAsync(model.Id, model.Stamp,
        [
            new TierForm { Name = "Silver", Colour = "#c0c0c0" },
            new TierForm { Name = "Gold", Colour = "#FFD700", UpgradeRule = UpgradeRule.CumulativeSpend, Threshold = 1000.50m },
            new TierForm { Name = "Black", Colour = "#000000", UpgradeRule = UpgradeRule.Points, Threshold = 5000, Validity = TierValidity.DaysFromJoin, ValidityDays = 365 },
        ]);
        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);

        model = (await Service.Queries.LoadAsync(model.Id))!;
        Assert.Equal(["Silver", "Gold", "Black"], model.Tiers.Select(t => t.Name));
        Assert.Equal("#C0C0C0", model.Tiers[0].Colour);
        Assert.Equal(1000.50m, model.Tiers[1].Threshold);
        Assert.Equal(5000m, model.Tiers[2].Threshold);

        // Black moves to the top, Silver goes, Gold is renamed.
        var black = model.Tiers[2];
        var gold = model.Tiers[1];
        gold.Name = "Gold+";
        saved = await Service.Wizard.SaveTiersAsync(model.Id, model.Stamp, [black, gold]);
        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);

        await using var db = _harness.Database.For(_harness.Merchant.Id);
        var plan = await db.MembershipPlans.WithParts().SingleAsync(p => p.Id == model.Id);
        Assert.Equal([("Black", 1), ("Gold+", 2)], plan.Tiers.OrderBy(t => t.Rank).Select(t => (t.Name, t.Rank)));
        Assert.Equal(100_050, plan.Tiers.Single(t => t.Name == "Gold+").Threshold);
    }

    [Fact]
    public async Task SavingChannelsKeepsEachTypesOwnSettingsPerTier()
    {
        var model = await CreateDraftAsync();
        model = await SaveTiersAsync(model, "Silver", "Gold");
        var silver = model.Tiers[0].Id!.Value;
        var gold = model.Tiers[1].Id!.Value;

        var saved = await Service.Wizard.SaveChannelsAsync(model.Id, model.Stamp,
        [
            new ChannelForm { TierId = silver, Type = JoinChannelType.FreeSignup },
            new ChannelForm { TierId = silver, Type = JoinChannelType.InviteCode, InviteCode = "welcome-2026", SpendThreshold = 5 },
            new ChannelForm { TierId = silver, Type = JoinChannelType.StoreQr, StoreCode = " SH-001 ", Enabled = false },
            new ChannelForm { TierId = gold, Type = JoinChannelType.SpendThreshold, SpendThreshold = 888.80m },
            new ChannelForm { TierId = gold, Type = JoinChannelType.Purchase },
        ]);

        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);
        model = (await Service.Queries.LoadAsync(model.Id))!;
        Assert.Equal(5, model.Channels.Count);
        var invite = model.Channels.Single(c => c.Type == JoinChannelType.InviteCode);
        Assert.Equal("WELCOME-2026", invite.InviteCode);
        Assert.Null(invite.SpendThreshold); // a setting of another type is dropped, not refused
        var store = model.Channels.Single(c => c.Type == JoinChannelType.StoreQr);
        Assert.Equal("SH-001", store.StoreCode);
        Assert.False(store.Enabled);
        var spend = model.Channels.Single(c => c.Type == JoinChannelType.SpendThreshold);
        Assert.Equal(gold, spend.TierId);
        Assert.Equal(888.80m, spend.SpendThreshold);

        // Removing a channel and changing another's code.
        invite.InviteCode = "SPRING-26";
        saved = await Service.Wizard.SaveChannelsAsync(model.Id, model.Stamp, [.. model.Channels.Where(c => c.Type != JoinChannelType.FreeSignup)]);
        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);
        model = (await Service.Queries.LoadAsync(model.Id))!;
        Assert.Equal(4, model.Channels.Count);
        Assert.Equal("SPRING-26", model.Channels.Single(c => c.Type == JoinChannelType.InviteCode).InviteCode);
    }

    [Fact]
    public async Task AnInvalidInviteCodeIsRefusedWithTheRulesMessageAndNothingIsSaved()
    {
        var model = await SaveTiersAsync(await CreateDraftAsync(), "Silver");
        var silver = model.Tiers[0].Id!.Value;

        var result = await Service.Wizard.SaveChannelsAsync(model.Id, model.Stamp,
        [
            new ChannelForm { TierId = silver, Type = JoinChannelType.FreeSignup },
            new ChannelForm { TierId = silver, Type = JoinChannelType.InviteCode, InviteCode = "no!" },
        ]);

        Assert.Equal(PlanSaveOutcome.Invalid, result.Outcome);
        Assert.Contains("invite code is 4–32", result.Refusal?.English);
        var reloaded = (await Service.Queries.LoadAsync(model.Id))!;
        Assert.Empty(reloaded.Channels);
        Assert.Equal(model.Stamp, reloaded.Stamp);
    }

    [Fact]
    public async Task AProductPriceOf19Point90CnyIsStoredAs1990MinorUnits()
    {
        var (model, purchase) = await DraftWithPurchaseChannelAsync("CNY");

        var saved = await Service.Wizard.SaveProductsAsync(model.Id, model.Stamp,
        [
            new ProductForm { ChannelId = purchase, Name = "Gold monthly", Price = 19.90m, DurationAmount = 1, DurationUnit = DurationUnit.Months,
                Stock = 100, PerCustomerLimit = 2, RenewalRule = RenewalRule.AutoRenew },
        ]);

        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);
        var product = await SingleProductAsync(model.Id);
        Assert.Equal(1990, product.PriceMinorUnits);
        Assert.Equal("CNY", product.Currency);
        Assert.Equal((1, DurationUnit.Months, 100, 2, RenewalRule.AutoRenew),
            (product.DurationAmount, product.DurationUnit, product.Stock, product.PerCustomerLimit, product.RenewalRule));
        Assert.Equal(19.90m, (await Service.Queries.LoadAsync(model.Id))!.Products.Single().Price);
    }

    [Fact]
    public async Task AYenPriceHasNoDecimals()
    {
        var (model, purchase) = await DraftWithPurchaseChannelAsync("JPY");

        var refused = await Service.Wizard.SaveProductsAsync(model.Id, model.Stamp,
            [new ProductForm { ChannelId = purchase, Name = "Gold", Price = 1500.5m, DurationAmount = 1, DurationUnit = DurationUnit.Years }]);
        var saved = await Service.Wizard.SaveProductsAsync(model.Id, model.Stamp,
            [new ProductForm { ChannelId = purchase, Name = "Gold", Price = 1500m, DurationAmount = 1, DurationUnit = DurationUnit.Years }]);

        Assert.Equal(PlanSaveOutcome.Invalid, refused.Outcome);
        Assert.Contains("JPY", refused.Refusal?.English);
        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);
        Assert.Equal(1500, (await SingleProductAsync(model.Id)).PriceMinorUnits);
    }

    [Theory]
    [InlineData(19.90, "CNY", 1990)]
    [InlineData(0.01, "USD", 1)]
    [InlineData(1500, "JPY", 1500)]
    [InlineData(199, "CNY", 19900)]
    public void AmountsConvertToMinorUnitsExactly(double amount, string currency, long minorUnits) =>
        Assert.Equal(minorUnits, MoneyInput.ToMinorUnits((decimal)amount, currency));

    [Fact]
    public void AnAmountWithMoreDecimalsThanItsCurrencyIsRefusedNotRounded()
    {
        Assert.Throws<MoneyFormatException>(() => MoneyInput.ToMinorUnits(19.999m, "CNY"));
        Assert.Throws<MoneyFormatException>(() => MoneyInput.ToMinorUnits(10.5m, "JPY"));
    }

    [Fact]
    public async Task ADraftSavedStepByStepResumesWithEveryStepAndPassesTheDryRun()
    {
        var (model, purchase) = await DraftWithPurchaseChannelAsync("CNY");
        await Service.Wizard.SaveProductsAsync(model.Id, model.Stamp,
            [new ProductForm { ChannelId = purchase, Name = "Gold yearly", Price = 199m, DurationAmount = 1, DurationUnit = DurationUnit.Years }]);

        // Later, in another circuit: everything saved so far is there.
        var resumed = await _harness.Service(actor: "someone-else").Queries.LoadAsync(model.Id);

        Assert.NotNull(resumed);
        Assert.Equal("Coffee Club", resumed.Basics.Name);
        Assert.Equal(["Silver", "Gold"], resumed.Tiers.Select(t => t.Name));
        Assert.Equal(2, resumed.Channels.Count);
        Assert.Equal("Gold yearly", resumed.Products.Single().Name);
        await using var db = _harness.Database.For(_harness.Merchant.Id);
        var plan = await db.MembershipPlans.WithParts().SingleAsync(p => p.Id == model.Id);
        Assert.Empty(ActivationDryRun.Check(plan, new DryRunContext(true, [], [])));
    }

    [Fact]
    public async Task TheSecondOfTwoStaffSavingOnePlanGetsAConflictAndTheFirstSaveStands()
    {
        var model = await SaveTiersAsync(await CreateDraftAsync(), "Silver");
        var alice = _harness.Service(actor: "alice");
        var bob = _harness.Service(actor: "bob");
        var alicesForm = (await alice.Queries.LoadAsync(model.Id))!;
        var bobsForm = (await bob.Queries.LoadAsync(model.Id))!;

        alicesForm.Tiers[0].Name = "Silver (Alice)";
        var first = await alice.Wizard.SaveTiersAsync(model.Id, alicesForm.Stamp, alicesForm.Tiers);
        bobsForm.Tiers[0].Colour = "#123456";
        var second = await bob.Wizard.SaveTiersAsync(model.Id, bobsForm.Stamp, bobsForm.Tiers);

        Assert.Equal(PlanSaveOutcome.Saved, first.Outcome);
        Assert.Equal(PlanSaveOutcome.Conflict, second.Outcome);
        var reloaded = (await bob.Queries.LoadAsync(model.Id))!;
        Assert.Equal("Silver (Alice)", reloaded.Tiers[0].Name);
        Assert.NotEqual("#123456", reloaded.Tiers[0].Colour);
        // After reloading, Bob saves on top of Alice's change.
        reloaded.Tiers[0].Colour = "#123456";
        Assert.Equal(PlanSaveOutcome.Saved, (await bob.Wizard.SaveTiersAsync(model.Id, reloaded.Stamp, reloaded.Tiers)).Outcome);
    }

    [Fact]
    public async Task AChangeToAChildOnlyStillRenewsThePlansStampSoAStaleFormConflicts()
    {
        var model = await SaveTiersAsync(await CreateDraftAsync(), "Silver");
        var stale = model.Stamp;
        model.Tiers[0].Colour = "#654321"; // only the tier row changes

        var saved = await Service.Wizard.SaveTiersAsync(model.Id, stale, model.Tiers);
        var again = await Service.Wizard.SaveBasicsAsync(model.Id, stale, model.Basics);

        Assert.Equal(PlanSaveOutcome.Saved, saved.Outcome);
        Assert.NotEqual(stale, saved.Stamp);
        Assert.Equal(PlanSaveOutcome.Conflict, again.Outcome);
    }

    [Fact]
    public async Task TheRefundPolicyIsSavedWithTheBasicsAndComesBackInTheForm()
    {
        var model = await CreateDraftAsync();
        Assert.Equal(RefundPolicy.RevokeUnused, model.Basics.RefundPolicy);
        model.Basics.RefundPolicy = RefundPolicy.RefuseWhenUsed;

        var saved = await Service.Wizard.SaveBasicsAsync(model.Id, model.Stamp, model.Basics);

        Assert.True(saved.Succeeded, saved.Refusal?.English);
        Assert.Equal(RefundPolicy.RefuseWhenUsed, (await Service.Queries.LoadAsync(model.Id))!.Basics.RefundPolicy);
        await using var db = _harness.Database.For(_harness.Merchant.Id);
        Assert.Equal(RefundPolicy.RefuseWhenUsed, await db.MembershipPlans.Where(p => p.Id == model.Id).Select(p => p.RefundPolicy).SingleAsync());
    }

    [Fact]
    public async Task AnotherMerchantsPlanIsNotFoundForReadingOrSaving()
    {
        var model = await CreateDraftAsync();
        var intruder = _harness.Service(_harness.OtherMerchant.Id, "admin@other.test");

        Assert.Null(await intruder.Queries.LoadAsync(model.Id));
        Assert.Null(await intruder.Queries.DetailsAsync(model.Id));
        Assert.Equal(PlanSaveOutcome.NotFound, (await intruder.Wizard.SaveBasicsAsync(model.Id, model.Stamp, model.Basics)).Outcome);
        Assert.Empty((await intruder.Queries.ListAsync(new PlanListQuery(null, null, 0, 20))).Rows);
        Assert.Equal("Coffee Club", (await Service.Queries.LoadAsync(model.Id))!.Basics.Name);
    }

    [Fact]
    public async Task TheListSearchesFiltersByStatusAndPagesOnTheServer()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Service.Wizard.CreateAsync(new BasicsForm { Name = $"Tea plan {i}", Currency = "CNY" });
            _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await Service.Wizard.CreateAsync(new BasicsForm { Name = "Coffee plan", Currency = "CNY" });
        var active = await CreateActivePlanAsync("Live plan");

        var teaPage2 = await Service.Queries.ListAsync(new PlanListQuery("tea", null, 1, 2));
        var activeOnly = await Service.Queries.ListAsync(new PlanListQuery(null, PlanStatus.Active, 0, 20));

        Assert.Equal(5, teaPage2.Total);
        Assert.Equal(["Tea plan 3", "Tea plan 2"], teaPage2.Rows.Select(r => r.Name)); // newest first
        var row = Assert.Single(activeOnly.Rows);
        Assert.Equal(active, row.Id);
        Assert.Equal(1, row.ProductCount);
        Assert.Equal(7, await Service.Queries.CountAsync());
        Assert.Equal(1, await Service.Queries.CountAsync(PlanStatus.Active));
    }

    [Fact]
    public async Task SearchingForAPercentOrUnderscoreFindsOnlyPlansWithThatCharacter()
    {
        await Service.Wizard.CreateAsync(new BasicsForm { Name = "Tea_club", Currency = "CNY" });
        await Service.Wizard.CreateAsync(new BasicsForm { Name = "Tea 50% off", Currency = "CNY" });
        await Service.Wizard.CreateAsync(new BasicsForm { Name = "Coffee club", Currency = "CNY" });

        var underscore = await Service.Queries.ListAsync(new PlanListQuery("_", null, 0, 20));
        var percent = await Service.Queries.ListAsync(new PlanListQuery("%", null, 0, 20));

        Assert.Equal(["Tea_club"], underscore.Rows.Select(r => r.Name));
        Assert.Equal(["Tea 50% off"], percent.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task ChangingAnActivePlanMakesAPendingRevisionAndANewPriceWaits()
    {
        var planId = await CreateActivePlanAsync("Coffee Club");
        var model = (await Service.Queries.LoadAsync(planId))!;
        Assert.All(model.Tiers, t => Assert.True(t.Live));
        Assert.False(model.CanActivate);

        model.Products.Single().Price = 299m;
        var priced = await Service.Wizard.SaveProductsAsync(planId, model.Stamp, model.Products);
        model = (await Service.Queries.LoadAsync(planId))!;
        var added = await Service.Wizard.SaveTiersAsync(planId, model.Stamp, [.. model.Tiers, new TierForm { Name = "Platinum", UpgradeRule = UpgradeRule.CumulativeSpend, Threshold = 5000 }]);

        Assert.Equal(PlanSaveOutcome.Saved, priced.Outcome);
        Assert.Equal(PlanSaveOutcome.Saved, added.Outcome);
        model = (await Service.Queries.LoadAsync(planId))!;
        Assert.Equal(PlanStatus.Active, model.Status);
        Assert.True(model.HasPendingRevision);
        Assert.True(model.CanActivate);
        Assert.True(model.Tiers.Single(t => t.Name == "Platinum").Pending);
        var product = model.Products.Single();
        Assert.Equal(299m, product.Price);
        Assert.Equal(199m, product.LivePrice); // orders keep paying the live price until the revision is live
        var stored = await SingleProductAsync(planId);
        Assert.Equal(19_900, stored.PriceMinorUnits);
        Assert.Equal(29_900, stored.PendingPriceMinorUnits);
    }

    [Fact]
    public async Task ALiveTiersRulesCannotChangeButTheRefusalSaysWhatToDoInstead()
    {
        var planId = await CreateActivePlanAsync("Coffee Club");
        var model = (await Service.Queries.LoadAsync(planId))!;
        model.Tiers[0].Validity = TierValidity.DaysFromJoin;
        model.Tiers[0].ValidityDays = 30;

        var result = await Service.Wizard.SaveTiersAsync(planId, model.Stamp, model.Tiers);

        Assert.Equal(PlanSaveOutcome.Invalid, result.Outcome);
        Assert.Contains("add a new tier in a revision", result.Refusal?.English);
    }

    private async Task<PlanEditModel> CreateDraftAsync(string currency = "CNY")
    {
        var version = await _harness.PublishedTemplateVersionAsync();
        var created = await Service.Wizard.CreateAsync(new BasicsForm { Name = "Coffee Club", CardTemplateVersionId = version.Id, Currency = currency });
        Assert.True(created.Succeeded, created.Refusal?.English);
        return (await Service.Queries.LoadAsync(created.PlanId!.Value))!;
    }

    private async Task<PlanEditModel> SaveTiersAsync(PlanEditModel model, params string[] names)
    {
        var result = await Service.Wizard.SaveTiersAsync(model.Id, model.Stamp,
            [.. names.Select((name, i) => new TierForm
            {
                Name = name,
                UpgradeRule = i == 0 ? UpgradeRule.None : UpgradeRule.CumulativeSpend,
                Threshold = i == 0 ? null : 1000 * i,
            })]);
        Assert.True(result.Succeeded, result.Refusal?.English);
        return (await Service.Queries.LoadAsync(model.Id))!;
    }

    private async Task<(PlanEditModel Model, Guid PurchaseChannelId)> DraftWithPurchaseChannelAsync(string currency)
    {
        var model = await SaveTiersAsync(await CreateDraftAsync(currency), "Silver", "Gold");
        var result = await Service.Wizard.SaveChannelsAsync(model.Id, model.Stamp,
        [
            new ChannelForm { TierId = model.Tiers[0].Id!.Value, Type = JoinChannelType.FreeSignup },
            new ChannelForm { TierId = model.Tiers[1].Id!.Value, Type = JoinChannelType.Purchase },
        ]);
        Assert.True(result.Succeeded, result.Refusal?.English);
        model = (await Service.Queries.LoadAsync(model.Id))!;
        return (model, model.Channels.Single(c => c.Type == JoinChannelType.Purchase).Id!.Value);
    }

    private async Task<MembershipProduct> SingleProductAsync(Guid planId)
    {
        await using var db = _harness.Database.For(_harness.Merchant.Id);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == planId);
        return plan.Products.Single();
    }

    /// <summary>A plan saved through the wizard's steps, then taken live by the domain's activation steps.</summary>
    private async Task<Guid> CreateActivePlanAsync(string name)
    {
        var (model, purchase) = await DraftWithPurchaseChannelAsync("CNY");
        model.Basics.Name = name;
        Assert.True((await Service.Wizard.SaveBasicsAsync(model.Id, model.Stamp, model.Basics)).Succeeded);
        model = (await Service.Queries.LoadAsync(model.Id))!;
        Assert.True((await Service.Wizard.SaveProductsAsync(model.Id, model.Stamp,
            [new ProductForm { ChannelId = purchase, Name = "Gold yearly", Price = 199m, DurationAmount = 1, DurationUnit = DurationUnit.Years }])).Succeeded);

        await using var db = _harness.Database.For(_harness.Merchant.Id);
        var plan = await db.MembershipPlans.WithParts().SingleAsync(p => p.Id == model.Id);
        PlanBuilder.Activate(plan);
        await db.SaveChangesAsync();
        return plan.Id;
    }
}
