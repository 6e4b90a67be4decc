using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Security.Claims;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Features.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Tests.Features.Plans.Activation;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Extensions;

namespace MerchantConsole.Tests.Features.Plans;

/// <summary>The wizard page over a real database: a step shows as done only once what it shows is saved.</summary>
public sealed class PlanWizardPageTests : MudBunitContext, IAsyncLifetime
{
    private PlanEditingHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await PlanEditingHarness.CreateAsync();

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task AStepIsDoneOnlyAfterItSavedAndAFailedSaveLeavesItNotDone()
    {
        var service = _harness.Service();
        var created = await service.Wizard.CreateAsync(new BasicsForm { Name = "Coffee club", Currency = "CNY" });
        var planId = created.PlanId!.Value;
        AddServices();
        Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();

        var wizard = Render<PlanWizardPage>(p => p.Add(x => x.Id, planId));
        wizard.WaitForAssertion(() => Assert.True(BasicsDone(wizard), "a saved step is done"));

        NameInput(wizard).Change("Coffee club gold");
        Assert.False(BasicsDone(wizard));

        // Someone else saves first: this save fails with a conflict, and the step must not look done.
        var loaded = await service.Queries.LoadAsync(planId);
        Assert.True((await service.Wizard.SaveBasicsAsync(planId, loaded!.Stamp, new BasicsForm { Name = "Changed elsewhere", Currency = "CNY" })).Succeeded);
        wizard.Find("[data-testid=wizard-save]").Click();
        wizard.WaitForAssertion(() => wizard.Find("[data-testid=plan-conflict]"));
        Assert.False(BasicsDone(wizard));

        wizard.Find("[data-testid=plan-conflict-reload]").Click();
        wizard.WaitForAssertion(() => Assert.True(BasicsDone(wizard)));
        NameInput(wizard).Change("Coffee club gold");
        wizard.Find("[data-testid=wizard-save]").Click();
        wizard.WaitForAssertion(() => Assert.True(BasicsDone(wizard)));
        Assert.Equal("Coffee club gold", (await service.Queries.LoadAsync(planId))!.Basics.Name);
    }

    private static bool BasicsDone(IRenderedComponent<PlanWizardPage> wizard) =>
        wizard.FindComponents<MudStep>()[0].Instance.GetState(x => x.Completed);

    private static AngleSharp.Dom.IElement NameInput(IRenderedComponent<PlanWizardPage> wizard) =>
        wizard.FindComponents<MudTextField<string>>()[0].Find("input");

    private void AddServices()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@plans.test");
        auth.SetRoles(StaffRoles.MerchantAdmin);
        auth.SetClaims(new Claim(MerchantScope.MerchantIdClaim, _harness.Merchant.Id.ToString()));
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.Merchant.Id, "admin@plans.test");
        var contexts = new MerchantDbContextFactory(_harness.Database.Contexts, scope);
        Services.AddSingleton(scope);
        Services.AddSingleton<IDbContextFactory<MerchantDbContext>>(contexts);
        Services.AddSingleton<TimeProvider>(_harness.Database.Clock);
        var plans = _harness.Service();
        Services.AddSingleton(plans.Queries);
        Services.AddSingleton(plans.Wizard);
        Services.AddSingleton(new PlanActivationService(contexts, scope, _harness.Database.Clock,
            new WorkflowJobQueue(new RecordingJobClient(), NullLogger<WorkflowJobQueue>.Instance),
            new WorkflowProgressNotifier(NullLogger<WorkflowProgressNotifier>.Instance)));
        Services.AddScoped<CurrentStaff>();
    }
}
