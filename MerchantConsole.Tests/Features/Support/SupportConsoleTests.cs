using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Support;
using MerchantConsole.Tests.Features.Plans.Activation;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Support;

public sealed class SupportConsoleTests
{
    private static async Task<(ActivationHarness Harness, Guid MerchantId, Guid PlanId, Guid RunId)> StuckAtAsync(string step,
        string planName = "Coffee Club")
    {
        var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id, planName);
        harness.InjectFault(step, FaultMode.Throw, harness.Options.MaxAttempts);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchant.Id, runId));
        return (harness, merchant.Id, plan.Id, runId);
    }


    [Fact]
    public async Task RetryingAStuckRunTakesItToSucceeded()
    {
        var (harness, merchantId, planId, runId) = await StuckAtAsync(ActivationStepName.ProductsPending);
        await using var owner = harness;

        await harness.Support("bob@support").RetryAsync(runId, "database was restarted");
        var ended = await harness.DriveToEndAsync(merchantId, runId);

        Assert.Equal(WorkflowRunStatus.Succeeded, ended);
        Assert.Empty(harness.InvariantFailures);
        var plan = await harness.PlanAsync(merchantId, planId);
        Assert.Equal(PlanStatus.Active, plan.Status);
        Assert.All(plan.Products, p => Assert.Equal(ProductStatus.Active, p.Status));
        var note = Assert.Single((await harness.RunAsync(merchantId, runId)).Notes);
        Assert.Equal((SupportAction.Retry, "bob@support", "database was restarted"), (note.Action, note.By, note.Reason));
        var audit = Assert.Single(await harness.SupportAuditAsync(merchantId, runId));
        Assert.Equal(("SupportRetry", "bob@support", merchantId), (audit.Action, audit.UserName, audit.MerchantId));
        Assert.Contains("database was restarted", audit.Changes);
    }

    [Fact]
    public async Task RollingBackAStuckRunReturnsThePlanAndItsProductsToDraft()
    {
        var (harness, merchantId, planId, runId) = await StuckAtAsync(ActivationStepName.PlanActive);
        await using var owner = harness;
        var before = await harness.PlanAsync(merchantId, planId);
        Assert.All(before.Products, p => Assert.Equal(ProductStatus.Pending, p.Status));

        await harness.Support("bob@support").RollBackAsync(runId, "merchant asked to stop");
        await harness.CheckInvariantsAsync(merchantId, runId, "rollback");

        var run = await harness.RunAsync(merchantId, runId);
        var plan = await harness.PlanAsync(merchantId, planId);
        Assert.Equal(WorkflowRunStatus.RolledBack, run.Status);
        Assert.Equal(
            [WorkflowStepStatus.Undone, WorkflowStepStatus.Undone, WorkflowStepStatus.Undone, WorkflowStepStatus.Undone, WorkflowStepStatus.Pending],
            run.Steps.Select(s => s.Status));
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.All(plan.Products, p => Assert.Equal(ProductStatus.Draft, p.Status));
        Assert.Empty(harness.InvariantFailures);
        var audit = Assert.Single(await harness.SupportAuditAsync(merchantId, runId));
        Assert.Equal(("SupportRollBack", "bob@support"), (audit.Action, audit.UserName));
        // The plan is a Draft again: it can be edited and activated anew.
        var again = await harness.ActivationFor(merchantId).StartActivationAsync(planId);
        harness.Faults.Rules.Clear();
        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.DriveToEndAsync(merchantId, again));
    }

    [Fact]
    public async Task RollingBackARevisionLeavesTheLivePlanAndItsProductsOnSale()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        await harness.DriveToEndAsync(merchant.Id, await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id));
        var productId = (await harness.PlanAsync(merchant.Id, plan.Id)).Products.Single().Id;
        await harness.ChangePlanAsync(merchant.Id, plan.Id, (p, now) => p.ChangeProductPrice(productId, new Money(29_900, "CNY"), now));
        harness.InjectFault(ActivationStepName.PlanActive, FaultMode.Throw, harness.Options.MaxAttempts);
        var revision = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        Assert.Equal(WorkflowRunStatus.Stuck, await harness.DriveToEndAsync(merchant.Id, revision));

        await harness.Support().RollBackAsync(revision, null);

        var after = await harness.PlanAsync(merchant.Id, plan.Id);
        Assert.Equal(PlanStatus.Active, after.Status);
        Assert.False(after.RevisionActivating);
        Assert.Equal(ProductStatus.Active, after.Products.Single().Status);
        Assert.Equal(19_900, after.Products.Single().PriceMinorUnits);
        Assert.Empty(PlanInvariants.Violations(after));
    }

    [Fact]
    public async Task MarkingAStepRepairedRequiresAReasonAndIsAudited()
    {
        var (harness, merchantId, planId, runId) = await StuckAtAsync(ActivationStepName.FreezeTemplateVersion);
        await using var owner = harness;
        var support = harness.Support("bob@support");

        var refusal = await Assert.ThrowsAsync<DomainException>(() => support.MarkStepRepairedAsync(runId, ActivationStepName.FreezeTemplateVersion, "  "));
        Assert.Contains("reason is required", refusal.Message);
        Assert.Empty(await harness.SupportAuditAsync(merchantId, runId));
        Assert.Equal(WorkflowRunStatus.Stuck, (await harness.RunAsync(merchantId, runId)).Status);

        await support.MarkStepRepairedAsync(runId, ActivationStepName.FreezeTemplateVersion, "pinned version 1 by hand");
        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.DriveToEndAsync(merchantId, runId));

        var run = await harness.RunAsync(merchantId, runId);
        Assert.Equal(WorkflowStepStatus.Repaired, run.Steps.Single(s => s.Name == ActivationStepName.FreezeTemplateVersion).Status);
        var note = Assert.Single(run.Notes);
        Assert.Equal((SupportAction.MarkRepaired, ActivationStepName.FreezeTemplateVersion, "bob@support", "pinned version 1 by hand"),
            (note.Action, note.Step, note.By, note.Reason));
        var audit = Assert.Single(await harness.SupportAuditAsync(merchantId, runId));
        Assert.Equal(("SupportMarkRepaired", "bob@support", merchantId), (audit.Action, audit.UserName, audit.MerchantId));
        var changes = JsonDocument.Parse(audit.Changes).RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("Field").GetString()!, c => c.GetProperty("New").GetString());
        Assert.Equal("FreezeTemplateVersion", changes["Step"]);
        Assert.Equal("pinned version 1 by hand", changes["Reason"]);
        Assert.Equal(PlanStatus.Active, (await harness.PlanAsync(merchantId, planId)).Status);

        var detail = await support.RunAsync(runId);
        var shown = Assert.Single(detail!.SupportActions);
        Assert.Equal(("MarkRepaired", "bob@support", "FreezeTemplateVersion", "pinned version 1 by hand"), (shown.Action, shown.UserName, shown.Step, shown.Reason));
    }

    [Fact]
    public async Task AStepWhoseEffectIsNotInTheRecordsCannotBeMarkedRepaired()
    {
        var (harness, merchantId, _, runId) = await StuckAtAsync(ActivationStepName.ProductsPending);
        await using var owner = harness;

        var refusal = await Assert.ThrowsAsync<DomainException>(() =>
            harness.Support().MarkStepRepairedAsync(runId, ActivationStepName.ProductsPending, "looked fine"));

        Assert.Contains("still Draft", refusal.Message);
        Assert.Equal(WorkflowRunStatus.Stuck, (await harness.RunAsync(merchantId, runId)).Status);
    }

    [Fact]
    public async Task SupportCannotMarkAStepRepairedWhileAWorkerIsRunningIt()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        harness.InjectFault(ActivationStepName.FreezeTemplateVersion, FaultMode.Hang, 1);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        await harness.RunJobAsync(merchant.Id, runId);
        await harness.RunJobAsync(merchant.Id, runId); // the freeze starts and its worker hangs

        var refusal = await Assert.ThrowsAsync<DomainException>(() =>
            harness.Support().MarkStepRepairedAsync(runId, ActivationStepName.FreezeTemplateVersion, "pinned version 1 by hand"));

        Assert.Equal("Activation.StepRunning", refusal.Refusal.Code);
        Assert.Contains("is running", refusal.Message);
        var run = await harness.RunAsync(merchant.Id, runId);
        Assert.Equal(WorkflowStepStatus.Running, run.Steps.Single(s => s.Name == ActivationStepName.FreezeTemplateVersion).Status);
        Assert.Empty(run.Notes);
        Assert.Empty(await harness.SupportAuditAsync(merchant.Id, runId));
    }

    [Fact]
    public async Task TheConsoleListsStuckAndSlowRunsAcrossMerchantsWithFilters()
    {
        var (harness, coffeeId, _, stuckRun) = await StuckAtAsync(ActivationStepName.Validate, "Coffee Club");
        await using var owner = harness;
        var fruit = await harness.AddMerchantAsync("fruit");
        var fruitPlan = await harness.AddPlanAsync(fruit.Id, "Fruit Friends");
        harness.Faults.Rules.Clear();
        harness.InjectFault(ActivationStepName.Validate, FaultMode.Hang, 5);
        var slowRun = await harness.ActivationFor(fruit.Id).StartActivationAsync(fruitPlan.Id);
        await harness.Job.RunNextStepAsync(fruit.Id, slowRun);
        var support = harness.Support();

        var fresh = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.StuckOrSlow, null, null, 0, 20));
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1));
        var both = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.StuckOrSlow, null, null, 0, 20));
        var onlyFruit = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.StuckOrSlow, fruit.Id, null, 0, 20));
        var byName = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.All, null, "coffee", 0, 20));
        var paged = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.All, null, null, 1, 1));
        var none = await support.ListRunsAsync(new SupportRunQuery(SupportRunFilter.Succeeded, null, null, 0, 20));

        Assert.Equal([stuckRun], fresh.Rows.Select(r => r.RunId));
        var stuck = both.Rows.Single(r => r.RunId == stuckRun);
        Assert.Equal((WorkflowRunStatus.Stuck, ActivationStepName.Validate, 3, "Merchant coffee", "Coffee Club"),
            (stuck.Status, stuck.CurrentStep, stuck.Attempts, stuck.MerchantName, stuck.SubjectName));
        Assert.Equal((PlanActivation.Kind, nameof(ActivationRunKind.Activate)), (stuck.Kind, stuck.Variant));
        Assert.Contains("Injected fault", stuck.LastError);
        var slow = both.Rows.Single(r => r.RunId == slowRun);
        Assert.True(slow.IsSlow);
        Assert.Equal(WorkflowRunStatus.Running, slow.Status);
        Assert.Equal([slowRun], onlyFruit.Rows.Select(r => r.RunId));
        Assert.Equal([stuckRun], byName.Rows.Select(r => r.RunId));
        Assert.Equal(2, paged.Total);
        Assert.Single(paged.Rows);
        Assert.Empty(none.Rows);
        Assert.Equal(0, none.Total);
        Assert.Equal(coffeeId, stuck.MerchantId);
    }

    [Fact]
    public async Task TheRunPageShowsTheRecordsInvolved()
    {
        var (harness, merchantId, _, runId) = await StuckAtAsync(ActivationStepName.PlanActive);
        await using var owner = harness;

        var detail = await harness.Support().RunAsync(runId);

        Assert.NotNull(detail);
        var records = Assert.IsType<PlanRecordsView>(detail.Records.Model);
        Assert.Equal(typeof(PlanActivationRecords), detail.Records.View);
        Assert.Equal(("Merchant coffee", "Coffee Club", PlanStatus.Activating), (detail.MerchantName, detail.SubjectName, records.PlanStatus));
        Assert.NotNull(records.TemplateVersionId);
        var product = Assert.Single(records.Products);
        Assert.Equal(("Gold yearly", "Gold", ProductStatus.Pending), (product.Name, product.TierName, product.Status));
        Assert.Empty(detail.InvariantViolations);
        var failed = detail.Run.Steps.Single(s => s.Name == ActivationStepName.PlanActive);
        Assert.Equal((WorkflowStepStatus.Failed, 3), (failed.Status, failed.Attempts));
        Assert.Equal(merchantId, detail.Run.MerchantId);
        Assert.Null(await harness.Support().RunAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task MerchantStaffCannotUseTheSupportConsole()
    {
        var (harness, merchantId, _, runId) = await StuckAtAsync(ActivationStepName.Validate);
        await using var owner = harness;
        var merchantScope = new MerchantScope();
        merchantScope.UseMerchant(merchantId, "admin@coffee");
        var asMerchant = harness.SupportFor(merchantScope);

        await Assert.ThrowsAsync<DomainException>(() => asMerchant.ListRunsAsync(new SupportRunQuery(SupportRunFilter.All, null, null, 0, 20)));
        await Assert.ThrowsAsync<DomainException>(() => asMerchant.RetryAsync(runId, null));

        Assert.Equal(WorkflowRunStatus.Stuck, (await harness.RunAsync(merchantId, runId)).Status);
    }
}
