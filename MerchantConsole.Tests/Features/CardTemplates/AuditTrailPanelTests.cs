using System.Globalization;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Plans;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace MerchantConsole.Tests.Features.CardTemplates;

/// <summary>The history panel on a plan, over the real audit trail the save interceptor writes.</summary>
public sealed class AuditTrailPanelTests : MudBunitContext, IAsyncLifetime
{
    private PlanEditingHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await PlanEditingHarness.CreateAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.Merchant.Id, "admin@plans.test");
        Services.AddSingleton(scope);
        Services.AddSingleton<IDbContextFactory<MerchantDbContext>>(new MerchantDbContextFactory(_harness.Database.Contexts, scope));
        Services.AddScoped<AuditHistory>();
        Services.AddScoped<CurrentStaff>();
        AddAuthorization().SetAuthorized("admin@plans.test");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task AnEditOfAPlanReadsAsLabelledOldToNewValuesNewestFirst()
    {
        var (planId, stamp) = await CreatePlanAsync("Coffee club");
        await _harness.Service().Wizard.SaveBasicsAsync(planId, stamp, new BasicsForm { Name = "Tea club", Currency = "CNY" });

        var cut = RenderPanel(planId);

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-row]").Count));
        var newest = cut.FindAll("[data-testid=audit-row]")[0];
        Assert.Contains("Name: Coffee club → Tea club", newest.TextContent);
        Assert.DoesNotContain("UpdatedAt", newest.TextContent);
        Assert.Equal("admin@plans.test", newest.QuerySelector("[data-testid=audit-actor]")!.TextContent.Trim());
        Assert.Contains("Added Plan “Coffee club”", cut.FindAll("[data-testid=audit-row]")[1].TextContent);
    }

    [Fact]
    public async Task TheHistoryReadsInChineseWithChineseLabels()
    {
        var (planId, stamp) = await CreatePlanAsync("咖啡会员");
        await _harness.Service().Wizard.SaveBasicsAsync(planId, stamp, new BasicsForm { Name = "茶会员", Currency = "CNY" });
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

        var cut = RenderPanel(planId);

        cut.WaitForAssertion(() => Assert.Contains("名称：咖啡会员 → 茶会员", cut.FindAll("[data-testid=audit-row]")[0].TextContent));
    }

    [Fact]
    public async Task ASaveByBackgroundWorkNamesTheSystemActor()
    {
        var (planId, _) = await CreatePlanAsync("Coffee club");
        await using (var db = _harness.Database.For(_harness.Merchant.Id, SystemActors.Activation))
        {
            var plan = await db.Set<MembershipPlan>().SingleAsync(p => p.Id == planId);
            plan.UpdateBasics("Coffee club plus", null, _harness.Database.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var cut = RenderPanel(planId);

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-row]").Count));
        var newest = cut.FindAll("[data-testid=audit-row]")[0];
        Assert.Equal("System · activation", newest.QuerySelector("[data-testid=audit-actor]")!.TextContent.Trim());
        Assert.Contains("Name: Coffee club → Coffee club plus", newest.TextContent);
    }

    [Fact]
    public async Task EverythingOneSaveChangedIsOneEntry()
    {
        var (planId, stamp) = await CreatePlanAsync("Coffee club");
        var saved = await _harness.Service().Wizard.SaveTiersAsync(planId, stamp,
        [
            new TierForm { Name = "Silver", Colour = "#C0C0C0" },
            new TierForm { Name = "Gold", Colour = "#FFD700", UpgradeRule = UpgradeRule.CumulativeSpend, Threshold = 500m },
        ]);
        Assert.True(saved.Succeeded);

        var cut = RenderPanel(planId);

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-row]").Count));
        var lines = cut.FindAll("[data-testid=audit-row]")[0].QuerySelectorAll("[data-testid=audit-change]").Select(l => l.TextContent).ToList();
        Assert.Contains("Added Tier “Silver”", lines);
        Assert.Contains("Added Tier “Gold”", lines);
    }

    [Fact]
    public async Task TheHistoryIsPagedNewestFirst()
    {
        var (planId, stamp) = await CreatePlanAsync("Name 0");
        for (var i = 1; i <= 11; i++)
        {
            var result = await _harness.Service().Wizard.SaveBasicsAsync(planId, stamp, new BasicsForm { Name = $"Name {i}", Currency = "CNY" });
            stamp = result.Stamp!.Value;
        }

        var cut = RenderPanel(planId);

        cut.WaitForAssertion(() => Assert.Equal(AuditTrailPanel.PageSize, cut.FindAll("[data-testid=audit-row]").Count));
        Assert.Contains("Name: Name 10 → Name 11", cut.FindAll("[data-testid=audit-row]")[0].TextContent);
        var pager = cut.FindComponent<MudPagination>();
        Assert.Equal(2, pager.Instance.GetState(x => x.Count));

        await cut.InvokeAsync(() => pager.Instance.SelectedChanged.InvokeAsync(2));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-row]").Count));
        Assert.Contains("Name: Name 0 → Name 1", cut.FindAll("[data-testid=audit-row]")[0].TextContent);
        Assert.Contains("Added Plan “Name 0”", cut.FindAll("[data-testid=audit-row]")[1].TextContent);
    }

    [Fact]
    public async Task ASaveThatChangedOnlyBookkeepingFieldsSaysSoInsteadOfABlankCell()
    {
        var (planId, _) = await CreatePlanAsync("Coffee club");
        await using (var db = _harness.Database.For(_harness.Merchant.Id, SystemActors.Activation))
        {
            // What a direct row write records when only the stamp moved: no field a reader has a label for.
            db.AuditEntries.Add(new AuditEntry
            {
                MerchantId = _harness.Merchant.Id, At = _harness.Database.Clock.GetUtcNow(), UserName = SystemActors.Activation,
                EntityType = nameof(MembershipPlan), EntityId = planId.ToString(), AggregateType = nameof(MembershipPlan),
                AggregateId = planId.ToString(), Action = "Modified", OperationId = Guid.NewGuid(),
                Changes = AuditEntry.WriteChanges([new AuditChange("ConcurrencyStamp", Guid.NewGuid().ToString(), Guid.NewGuid().ToString())]),
            });
            await db.SaveChangesAsync();
        }

        var cut = RenderPanel(planId);

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-row]").Count));
        var newest = cut.FindAll("[data-testid=audit-row]")[0];
        Assert.Equal(["Internal bookkeeping only"], newest.QuerySelectorAll("[data-testid=audit-change]").Select(l => l.TextContent.Trim()));
        Assert.Contains("Added Plan “Coffee club”", cut.FindAll("[data-testid=audit-row]")[1].TextContent);
    }

    private IRenderedComponent<AuditTrailPanel> RenderPanel(Guid planId) =>
        Render<AuditTrailPanel>(p => p.Add(x => x.AggregateType, nameof(MembershipPlan)).Add(x => x.AggregateId, planId));

    private async Task<(Guid Id, Guid Stamp)> CreatePlanAsync(string name)
    {
        var created = await _harness.Service().Wizard.CreateAsync(new BasicsForm { Name = name, Currency = "CNY" });
        Assert.True(created.Succeeded, created.Refusal?.English);
        return (created.PlanId!.Value, created.Stamp!.Value);
    }
}
