using Bunit;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using MudBlazor;

namespace MerchantConsole.Tests.Features.Plans;

/// <summary>The wizard's step components on their own: what a new tier starts with, and amounts refused where they are typed.</summary>
public sealed class PlanWizardStepsTests : MudBunitContext
{
    [Fact]
    public void NewTiersGetDistinctColoursAndNoUpgradeRuleUntilOneIsChosen()
    {
        var tiers = new List<TierForm>();
        var cut = Render<TiersStep>(p => p.Add(x => x.Tiers, tiers).Add(x => x.Currency, "CNY"));

        for (var i = 0; i < 4; i++)
            cut.Find("[data-testid=tier-add]").Click();

        Assert.Equal(4, tiers.Count);
        Assert.Equal(4, tiers.Select(t => t.Colour.ToUpperInvariant()).Distinct().Count());
        Assert.All(tiers, t => Assert.Equal(UpgradeRule.None, t.UpgradeRule));
    }

    [Fact]
    public void ANewTierTakesAColourNoExistingTierUses()
    {
        var tiers = new List<TierForm> { new() { Id = Guid.NewGuid(), Name = "Silver", Colour = TierColours.Palette[0].ToLowerInvariant() } };
        var cut = Render<TiersStep>(p => p.Add(x => x.Tiers, tiers).Add(x => x.Currency, "CNY"));

        cut.Find("[data-testid=tier-add]").Click();

        Assert.NotEqual(tiers[0].Colour, tiers[1].Colour, StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("-5", "An amount cannot be negative.")]
    [InlineData("12.345", "CNY amounts have at most 2 decimals.")]
    public async Task AWrongPriceIsRefusedAtTheFieldAndTheFormDoesNotPass(string typed, string message)
    {
        var channelId = Guid.NewGuid();
        var product = new ProductForm { ChannelId = channelId, Name = "Annual pass", Price = 99 };
        var form = Render<MudForm>(p => p.AddChildContent<ProductsStep>(step => step
            .Add(x => x.Tiers, [new TierForm { Id = Guid.NewGuid(), Name = "Gold" }])
            .Add(x => x.Channels, [new ChannelForm { Id = channelId, Type = JoinChannelType.Purchase }])
            .Add(x => x.Products, [product])
            .Add(x => x.Currency, "CNY")));

        form.FindComponent<MudNumericField<decimal>>().Find("input").Change(typed);
        await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.False(form.Instance.IsValid);
        form.WaitForAssertion(() => Assert.Contains(message, form.Markup));
    }

    [Fact]
    public async Task ANegativeSpendThresholdIsRefusedAtTheField()
    {
        var tierId = Guid.NewGuid();
        var form = Render<MudForm>(p => p.AddChildContent<ChannelsStep>(step => step
            .Add(x => x.Tiers, [new TierForm { Id = tierId, Name = "Gold" }])
            .Add(x => x.Channels, [new ChannelForm { Id = Guid.NewGuid(), TierId = tierId, Type = JoinChannelType.SpendThreshold, SpendThreshold = 500 }])
            .Add(x => x.Currency, "CNY")));

        form.FindComponent<MudNumericField<decimal?>>().Find("input").Change("-1");
        await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.False(form.Instance.IsValid);
        form.WaitForAssertion(() => Assert.Contains("An amount cannot be negative.", form.Markup));
    }

    [Fact]
    public async Task ARightPricePassesTheForm()
    {
        var channelId = Guid.NewGuid();
        var product = new ProductForm { ChannelId = channelId, Name = "Annual pass", Price = 99 };
        var form = Render<MudForm>(p => p.AddChildContent<ProductsStep>(step => step
            .Add(x => x.Tiers, [new TierForm { Id = Guid.NewGuid(), Name = "Gold" }])
            .Add(x => x.Channels, [new ChannelForm { Id = channelId, Type = JoinChannelType.Purchase }])
            .Add(x => x.Products, [product])
            .Add(x => x.Currency, "CNY")));

        form.FindComponent<MudNumericField<decimal>>().Find("input").Change("19.90");
        await form.InvokeAsync(() => form.Instance.ValidateAsync());

        Assert.True(form.Instance.IsValid);
        Assert.Equal(19.90m, product.Price);
    }
}
