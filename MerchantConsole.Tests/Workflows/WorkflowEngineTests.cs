using System.Text;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Support;
using MerchantConsole.Tests.Features.Plans.Activation;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Workflows;

/// <summary>
/// The engine, the sweeper, fault injection and the support console know no plan activation: a second kind, defined
/// only in the tests (<see cref="RenamePlanWorkflow"/>), runs on the same machinery beside it.
/// </summary>
public sealed class WorkflowEngineTests
{
    private static async Task<(ActivationHarness Harness, Guid MerchantId, Guid PlanId, Guid RunId)> StartRenameAsync(
        Action<ActivationHarness>? arrange = null)
    {
        var harness = await ActivationHarness.CreateAsync();
        arrange?.Invoke(harness);
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id, "Coffee Club");
        var runId = await AddRenameRunAsync(harness, merchant.Id, plan.Id);
        return (harness, merchant.Id, plan.Id, runId);
    }

    private static async Task<Guid> AddRenameRunAsync(ActivationHarness harness, Guid merchantId, Guid planId)
    {
        await using var db = harness.Database.For(merchantId);
        var plan = await db.MembershipPlans.SingleAsync(p => p.Id == planId);
        var run = RenamePlanWorkflow.Start(plan, harness.Clock.GetUtcNow());
        db.WorkflowRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }


    [Fact]
    public async Task ASecondWorkflowKindRunsToSucceededOnTheSameEngineMessageStepIncluded()
    {
        var (harness, merchantId, planId, runId) = await StartRenameAsync();
        await using var owner = harness;

        await harness.RunJobAsync(merchantId, runId);
        await harness.RunJobAsync(merchantId, runId);
        var waiting = await harness.RunAsync(merchantId, runId);
        await harness.DispatchAsync(merchantId, runId);

        // Rename's completion started Announce with its message in the same save; the message's handler finished it.
        Assert.Equal((RenamePlanWorkflow.Announce, WorkflowStepStatus.Running), (waiting.NextStep!.Name, waiting.NextStep.Status));
        var run = await harness.RunAsync(merchantId, runId);
        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.Equal((RenamePlanWorkflow.KindName, planId, "Coffee Club"), (run.Kind, run.SubjectId, run.SubjectName));
        Assert.Equal([RenamePlanWorkflow.Remember, RenamePlanWorkflow.Rename, RenamePlanWorkflow.Announce], run.Steps.Select(s => s.Name));
        Assert.All(run.Steps, s => Assert.Equal((WorkflowStepStatus.Succeeded, 1), (s.Status, s.Attempts)));
        Assert.Equal("Coffee Club", run.Step(RenamePlanWorkflow.Remember).Output);
        Assert.Equal("Coffee Club" + RenamePlanWorkflow.Suffix, (await harness.PlanAsync(merchantId, planId)).Name);
        Assert.Empty(harness.InvariantFailures);
    }

    [Fact]
    public async Task AFaultyStepOfAnotherKindGoesStuckAfterItsAttemptsAndSupportRetriesItToSucceeded()
    {
        var (harness, merchantId, planId, runId) = await StartRenameAsync(h =>
            h.InjectFault(RenamePlanWorkflow.Rename, FaultMode.Throw, h.Options.MaxAttempts, workflow: RenamePlanWorkflow.KindName));
        await using var owner = harness;

        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchantId, runId));
        var stuck = await harness.RunAsync(merchantId, runId);
        var failed = stuck.Step(RenamePlanWorkflow.Rename);
        Assert.Equal((WorkflowStepStatus.Failed, harness.Options.MaxAttempts), (failed.Status, failed.Attempts));
        Assert.Contains("Injected fault", failed.LastError);
        Assert.Equal("Coffee Club", (await harness.PlanAsync(merchantId, planId)).Name);

        await harness.Support("bob@support").RetryAsync(runId, "rename service is back");
        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.DriveToEndAsync(merchantId, runId));

        var run = await harness.RunAsync(merchantId, runId);
        Assert.Equal((WorkflowStepStatus.Succeeded, 1), (run.Step(RenamePlanWorkflow.Rename).Status, run.Step(RenamePlanWorkflow.Rename).Attempts));
        Assert.Equal("Coffee Club" + RenamePlanWorkflow.Suffix, (await harness.PlanAsync(merchantId, planId)).Name);
        var note = Assert.Single(run.Notes);
        Assert.Equal((SupportAction.Retry, RenamePlanWorkflow.Rename, "bob@support"), (note.Action, note.Step, note.By));
        var audit = Assert.Single(await harness.SupportAuditAsync(merchantId, runId));
        Assert.Equal(("SupportRetry", "bob@support", nameof(WorkflowRun)), (audit.Action, audit.UserName, audit.EntityType));
        Assert.Empty(harness.InvariantFailures);
    }

    [Fact]
    public async Task SupportRollsBackARunOfAnotherKindThroughItsOwnDefinition()
    {
        // Announce is a message step: its handler fails every attempt, after Rename took effect.
        var (harness, merchantId, planId, runId) = await StartRenameAsync(h =>
            h.InjectFault(RenamePlanWorkflow.Announce, FaultMode.Throw, h.Options.MaxAttempts, workflow: RenamePlanWorkflow.KindName));
        await using var owner = harness;
        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchantId, runId));
        Assert.Equal("Coffee Club" + RenamePlanWorkflow.Suffix, (await harness.PlanAsync(merchantId, planId)).Name);

        await harness.Support("bob@support").RollBackAsync(runId, "the merchant keeps the old name");

        var run = await harness.RunAsync(merchantId, runId);
        Assert.Equal(WorkflowRunStatus.RolledBack, run.Status);
        Assert.All(run.Steps, s => Assert.Equal(WorkflowStepStatus.Undone, s.Status));
        Assert.Equal("Coffee Club", (await harness.PlanAsync(merchantId, planId)).Name);
        var audit = Assert.Single(await harness.SupportAuditAsync(merchantId, runId));
        Assert.Equal(("SupportRollBack", "bob@support"), (audit.Action, audit.UserName));
        await harness.CheckInvariantsAsync(merchantId, runId, "rollback");
        Assert.Empty(harness.InvariantFailures);
    }

    [Fact]
    public async Task MarkRepairedAsksTheRunsOwnDefinitionWhetherTheEffectIsThere()
    {
        var (harness, merchantId, planId, runId) = await StartRenameAsync(h =>
            h.InjectFault(RenamePlanWorkflow.Rename, FaultMode.Throw, h.Options.MaxAttempts, workflow: RenamePlanWorkflow.KindName));
        await using var owner = harness;
        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchantId, runId));
        var support = harness.Support("bob@support");

        var refusal = await Assert.ThrowsAsync<DomainException>(() => support.MarkStepRepairedAsync(runId, RenamePlanWorkflow.Rename, "renamed it"));
        Assert.Equal("Run.RepairEffectMissing", refusal.Refusal.Code);
        Assert.Contains("still called Coffee Club", refusal.Message);
        await harness.ChangePlanAsync(merchantId, planId, (p, now) => p.UpdateBasics("Coffee Club" + RenamePlanWorkflow.Suffix, p.Description, now));
        await support.MarkStepRepairedAsync(runId, RenamePlanWorkflow.Rename, "renamed it by hand");

        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.DriveToEndAsync(merchantId, runId));
        var run = await harness.RunAsync(merchantId, runId);
        Assert.Equal(WorkflowStepStatus.Repaired, run.Step(RenamePlanWorkflow.Rename).Status);
        Assert.Equal("SupportMarkRepaired", Assert.Single(await harness.SupportAuditAsync(merchantId, runId)).Action);
    }

    [Fact]
    public async Task TheSupportConsoleListsRunsOfEveryKindAndFiltersByKind()
    {
        var (harness, merchantId, planId, renameRun) = await StartRenameAsync(h =>
            h.InjectFault(RenamePlanWorkflow.Rename, FaultMode.Throw, h.Options.MaxAttempts, workflow: RenamePlanWorkflow.KindName));
        await using var owner = harness;
        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchantId, renameRun));
        var other = await harness.AddPlanAsync(merchantId, "Tea Club", inviteCode: "TEA-2026", storeCode: "SH-002");
        harness.InjectFault(ActivationStepName.Validate, FaultMode.Throw, harness.Options.MaxAttempts, workflow: PlanActivation.Kind);
        var activationRun = await harness.ActivationFor(merchantId).StartActivationAsync(other.Id);
        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchantId, activationRun));
        var support = harness.Support();

        var all = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.Stuck, null, null, 0, 20));
        var renames = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.Stuck, null, null, 0, 20, RenamePlanWorkflow.KindName));
        var activations = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.Stuck, null, null, 0, 20, PlanActivation.Kind));
        var byName = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.All, null, "coffee", 0, 20));
        var detail = await support.RunAsync(renameRun);

        Assert.Equal(2, all.Total);
        var row = Assert.Single(renames.Rows);
        Assert.Equal((renameRun, RenamePlanWorkflow.KindName, planId, "Coffee Club", RenamePlanWorkflow.Rename, 3),
            (row.RunId, row.Kind, row.SubjectId, row.SubjectName, row.CurrentStep, row.Attempts));
        Assert.Equal([activationRun], activations.Rows.Select(r => r.RunId));
        Assert.Equal(PlanActivation.Kind, activations.Rows[0].Kind);
        Assert.Equal([renameRun], byName.Rows.Select(r => r.RunId));
        // The run page shows what the run's own definition says about its records.
        Assert.NotNull(detail);
        Assert.Equal(("Coffee Club", typeof(UnknownWorkflowRecords), "Coffee Club"), (detail.SubjectName, detail.Records.View, detail.Records.Model));
        Assert.Empty(detail.InvariantViolations);
        Assert.Equal(RenamePlanWorkflow.KindName, detail.Run.Kind);
    }

    [Fact]
    public async Task AFaultRuleNamingOneKindLeavesRunsOfOtherKindsAlone()
    {
        var (harness, merchantId, planId, runId) = await StartRenameAsync(h =>
        {
            // Same step name, other kind: only the kind named by the rule fails.
            h.InjectFault(RenamePlanWorkflow.Rename, FaultMode.Throw, 5, workflow: PlanActivation.Kind);
            h.InjectFault(RenamePlanWorkflow.Rename, FaultMode.Hang, 5, planNameContains: "no such plan");
        });
        await using var owner = harness;

        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.DriveToEndAsync(merchantId, runId));

        Assert.All((await harness.RunAsync(merchantId, runId)).Steps, s => Assert.Equal(1, s.Attempts));
        Assert.Equal("Coffee Club" + RenamePlanWorkflow.Suffix, (await harness.PlanAsync(merchantId, planId)).Name);
    }

    [Fact]
    public async Task TheSweeperDrivesRunsOfEveryKind()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var renamed = await harness.AddPlanAsync(merchant.Id, "Coffee Club");
        var activated = await harness.AddPlanAsync(merchant.Id, "Tea Club", inviteCode: "TEA-2026", storeCode: "SH-002");
        var renameRun = await AddRenameRunAsync(harness, merchant.Id, renamed.Id);
        var activationRun = await harness.ActivationFor(merchant.Id).StartActivationAsync(activated.Id);
        harness.Jobs.Created.Clear(); // every queued job is lost
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1));

        Assert.Equal(2, await harness.Sweeper.SweepAsync(CancellationToken.None));
        await harness.Dispatcher.DispatchAsync(CancellationToken.None);

        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.RunAsync(merchant.Id, renameRun)).Status);
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.RunAsync(merchant.Id, activationRun)).Status);
        Assert.Equal("Coffee Club" + RenamePlanWorkflow.Suffix, (await harness.PlanAsync(merchant.Id, renamed.Id)).Name);
        Assert.Equal(PlanStatus.Active, (await harness.PlanAsync(merchant.Id, activated.Id)).Status);
    }

    [Fact]
    public async Task ARunOfAKindNoDefinitionHandlesIsLeftAloneAndShownAsSuch()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var run = WorkflowRun.Start("Retired", merchant.Id, Guid.NewGuid(), "Old thing", [new WorkflowStepSpec("Only")], "tester", harness.Clock.GetUtcNow());
        await using (var db = harness.Database.For(merchant.Id))
        {
            db.WorkflowRuns.Add(run);
            await db.SaveChangesAsync();
        }
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1));

        Assert.Equal(StepOutcome.NothingToDo, await harness.Engine.RunNextStepAsync(merchant.Id, run.Id));
        Assert.Equal(1, await harness.Sweeper.SweepAsync(CancellationToken.None));
        var detail = await harness.Support().RunAsync(run.Id);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => harness.Support().RollBackAsync(run.Id, null));

        Assert.Equal(0, (await harness.RunAsync(merchant.Id, run.Id)).Steps.Single().Attempts);
        Assert.Contains("Retired", Assert.Single(detail!.InvariantViolations));
        Assert.Equal("Run.KindUnknown", refusal.Refusal.Code);
        Assert.Equal(WorkflowRunStatus.Running, (await harness.RunAsync(merchant.Id, run.Id)).Status);
    }

    [Fact]
    public void DefinitionsAreRegisteredByKindAndAKindCannotBeRegisteredTwice()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("{}"))).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflows(configuration);
        services.AddPlanActivation();
        services.AddWorkflowDefinition<PlanActivationWorkflow>(); // registering the same definition again is a no-op
        using var provider = services.BuildServiceProvider();

        var definitions = provider.GetRequiredService<WorkflowDefinitions>();

        Assert.Equal([PlanActivation.Kind], definitions.Kinds);
        Assert.IsType<PlanActivationWorkflow>(definitions.Get(PlanActivation.Kind));
        Assert.Throws<InvalidOperationException>(() => new WorkflowDefinitions([new PlanActivationWorkflow(), new PlanActivationWorkflow()]));
        Assert.Equal("Run.KindUnknown", Assert.Throws<DomainException>(() => definitions.Get("Nope")).Refusal.Code);
    }
}
