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
using MerchantConsole.Tests.Workflows;
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

    private void UseSupportServices()
    {
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
    }

    [Fact]
    public async Task TheRunPageRetriesAStuckRunOfAnotherKindAndShowsThatKindsRecords()
    {
        var merchant = await _harness.AddMerchantAsync("coffee");
        var plan = await _harness.AddPlanAsync(merchant.Id, "Coffee Club");
        _harness.InjectFault(RenamePlanWorkflow.Rename, FaultMode.Throw, _harness.Options.MaxAttempts, workflow: RenamePlanWorkflow.KindName);
        var run = RenamePlanWorkflow.Start(plan, _harness.Clock.GetUtcNow());
        await using (var db = _harness.Database.For(merchant.Id))
        {
            db.WorkflowRuns.Add(run);
            await db.SaveChangesAsync();
        }
        Assert.Equal(WorkflowRunStatus.Stuck, await _harness.DriveToEndAsync(merchant.Id, run.Id));
        UseSupportServices();
        var dialogs = Render<MudDialogProvider>();

        var page = Render<SupportRunPage>(p => p.Add(x => x.RunId, run.Id));
        page.WaitForElement("[data-testid=support-retry]");
        Assert.Equal(RenamePlanWorkflow.KindName, page.Find("[data-testid=support-run-kind]").GetAttribute("data-kind"));
        Assert.Equal("Coffee Club", page.Find("[data-testid=support-records-unknown]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=support-invariants-ok]"));
        page.Find("[data-testid=support-retry]").Click();
        dialogs.WaitForElement("textarea").Input("rename service is back");
        dialogs.Find("[data-testid=support-action-confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("rename service is back", page.Find("[data-testid=support-notes]").TextContent));
        var retried = await _harness.RunAsync(merchant.Id, run.Id);
        Assert.Equal(WorkflowRunStatus.Running, retried.Status);
        Assert.Equal((RenamePlanWorkflow.Rename, 0), (retried.NextStep!.Name, retried.NextStep.Attempts));
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
        UseSupportServices();
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
