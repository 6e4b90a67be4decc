using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Support;
using MerchantConsole.Tests.Features.Plans.Activation;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantConsole.Tests.Features.Support;

public sealed class SupportRunPageTests : MudBunitContext, IAsyncLifetime
{
    private ActivationHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await ActivationHarness.CreateAsync();

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task TheRunPageShowsWhyARunningStepCannotBeMarkedRepaired()
    {
        var merchant = await _harness.AddMerchantAsync("coffee");
        var plan = await _harness.AddPlanAsync(merchant.Id);
        _harness.InjectFault(ActivationStepName.FreezeTemplateVersion, FaultMode.Hang, 1);
        var runId = await _harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        await _harness.RunJobAsync(merchant.Id, runId);
        await _harness.RunJobAsync(merchant.Id, runId); // the freeze starts and its worker hangs
        AddAuthorization().SetAuthorized("bob@support").SetRoles(StaffRoles.Support);
        var scope = new MerchantScope();
        scope.UseAcrossMerchants("bob@support");
        Services.AddSingleton(scope);
        Services.AddSingleton(_harness.Database.Contexts);
        Services.AddScoped<IDbContextFactory<MerchantDbContext>, MerchantDbContextFactory>();
        Services.AddScoped<CurrentStaff>();
        Services.AddSingleton(_harness.Notifier);
        Services.AddSingleton(_harness.SupportFor(scope));
        // Not interactive: the page's two-second poll stays off, so only the test moves it.
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
        var dialogs = Render<MudDialogProvider>();

        var page = Render<SupportRunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForElement("[data-testid=support-repair]").Click();
        dialogs.WaitForElement("textarea").Input("pinned version 1 by hand");
        dialogs.Find("[data-testid=support-action-confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("is running", page.Find("[data-testid=support-action-error]").TextContent));
        Assert.Equal(WorkflowStepStatus.Running,
            (await _harness.RunAsync(merchant.Id, runId)).Steps.Single(s => s.Name == ActivationStepName.FreezeTemplateVersion).Status);
    }
}
