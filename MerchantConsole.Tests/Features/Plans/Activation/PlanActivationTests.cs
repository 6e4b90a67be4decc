using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Plans.Activation;

public sealed class PlanActivationTests
{
    private static readonly IReadOnlyList<string> AllSteps = ActivationStepName.All;

    [Fact]
    public async Task ADraftPlanGoesActiveThroughEveryRecordedStep()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var changes = new List<Guid>();
        harness.Notifier.RunChanged += (_, planId, _) => changes.Add(planId);

        var runId = await harness.ActivationFor(merchant.Id, "alice").StartActivationAsync(plan.Id);
        var started = await harness.PlanAsync(merchant.Id, plan.Id);
        Assert.Equal(PlanStatus.Activating, started.Status);
        Assert.Single(harness.Jobs.Created);
        Assert.Equal(nameof(WorkflowStepJob.RunNextStepAsync), harness.Jobs.Created[0].Job.Method.Name);

        for (var i = 0; i < 4; i++)
            await harness.RunJobAsync(merchant.Id, runId);
        var planActive = await harness.PlanAsync(merchant.Id, plan.Id);
        Assert.Equal(PlanStatus.Active, planActive.Status);
        Assert.Equal(ProductStatus.Pending, planActive.Products.Single().Status);

        await harness.DispatchAsync(merchant.Id, runId);

        var run = await harness.RunAsync(merchant.Id, runId);
        var active = await harness.PlanAsync(merchant.Id, plan.Id);
        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.Equal("alice", run.RequestedBy);
        Assert.Equal(AllSteps, run.Steps.Select(s => s.Name));
        Assert.All(run.Steps, s =>
        {
            Assert.Equal(WorkflowStepStatus.Succeeded, s.Status);
            Assert.Equal(1, s.Attempts);
            Assert.NotNull(s.StartedAt);
            Assert.NotNull(s.FinishedAt);
            Assert.Null(s.LastError);
        });
        Assert.Equal(plan.CardTemplateVersionId, run.TemplateVersionId);
        Assert.Equal(PlanStatus.Active, active.Status);
        Assert.All(active.Products, p => Assert.Equal(ProductStatus.Active, p.Status));
        Assert.True(active.IsSellable(active.Products.Single().Id));
        Assert.Empty(harness.InvariantFailures);
        Assert.Contains(plan.Id, changes);
    }

    [Fact]
    public async Task TheServiceShowsTheRunHistoryOfAPlan()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var service = harness.ActivationFor(merchant.Id, "alice");
        var runId = await service.StartActivationAsync(plan.Id);
        await harness.DriveToEndAsync(merchant.Id, runId);

        var latest = await service.LatestRunAsync(plan.Id);
        var history = await service.RunsAsync(plan.Id);

        Assert.NotNull(latest);
        Assert.Equal(runId, latest.RunId);
        Assert.Equal(WorkflowRunStatus.Succeeded, latest.Status);
        Assert.Equal("alice", latest.RequestedBy);
        Assert.Equal(AllSteps, latest.Steps.Select(s => s.Name));
        Assert.NotNull(latest.FinishedAt);
        Assert.Equal([runId], history.Select(r => r.RunId));
    }

    [Fact]
    public async Task StartingAnActivationThatFailsTheDryRunIsRefusedAndChangesNothing()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id, change: p => p.ChangeProductPrice(p.Products.Single().Id, new Money(0, "CNY"), DateTimeOffset.UnixEpoch));
        var service = harness.ActivationFor(merchant.Id);

        var problems = await service.DryRunAsync(plan.Id);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => service.StartActivationAsync(plan.Id));

        Assert.Equal([DryRunCode.ProductPriceNotPositive], problems.Select(p => p.Code));
        Assert.Contains("price above zero", refusal.Message);
        Assert.Equal(PlanStatus.Draft, (await harness.PlanAsync(merchant.Id, plan.Id)).Status);
        Assert.Null(await service.LatestRunAsync(plan.Id));
        Assert.Empty(harness.Jobs.Created);
    }

    [Fact]
    public async Task TheDryRunSeesInviteAndStoreCodesOfTheMerchantsOtherPlansOnly()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var coffee = await harness.AddMerchantAsync("coffee");
        var fruit = await harness.AddMerchantAsync("fruit");
        await harness.AddPlanAsync(coffee.Id, "Older plan", inviteCode: "SHARED-CODE", storeCode: "SH-009");
        await harness.AddPlanAsync(fruit.Id, "Other merchant", inviteCode: "FRUIT-CODE", storeCode: "SH-010");
        var plan = await harness.AddPlanAsync(coffee.Id, "New plan", inviteCode: "SHARED-CODE", storeCode: "SH-010");

        var problems = await harness.ActivationFor(coffee.Id).DryRunAsync(plan.Id);

        Assert.Equal([DryRunCode.InviteCodeClaimedByOtherPlan], problems.Select(p => p.Code));
    }

    [Fact]
    public async Task TheDryRunRefusesATemplateVersionThatIsNotPublished()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id, change: p => p.ChooseCardTemplateVersion(Guid.NewGuid(), DateTimeOffset.UnixEpoch));

        var problems = await harness.ActivationFor(merchant.Id).DryRunAsync(plan.Id);

        Assert.Equal([DryRunCode.TemplateVersionNotPublished], problems.Select(p => p.Code));
    }

    [Fact]
    public async Task ASecondActivationWhileOneIsInFlightIsRefused()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var service = harness.ActivationFor(merchant.Id);
        await service.StartActivationAsync(plan.Id);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => service.StartActivationAsync(plan.Id));

        Assert.Contains("already in progress", refusal.Message);
        Assert.Single(await service.RunsAsync(plan.Id));
    }

    [Fact]
    public async Task AProblemFoundByTheValidateStepRollsTheRunBackToDraft()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id, inviteCode: "TAKEN-CODE");
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        // Another plan claims the code between the dry run and the step.
        await harness.AddPlanAsync(merchant.Id, "Rival plan", inviteCode: "TAKEN-CODE", storeCode: "SH-777");

        await harness.RunJobAsync(merchant.Id, runId);

        var run = await harness.RunAsync(merchant.Id, runId);
        var rolledBack = await harness.PlanAsync(merchant.Id, plan.Id);
        Assert.Equal(WorkflowRunStatus.RolledBack, run.Status);
        Assert.Equal(WorkflowStepStatus.Undone, run.Steps[0].Status);
        Assert.Contains("TAKEN-CODE", run.Steps[0].LastError);
        Assert.Equal(PlanStatus.Draft, rolledBack.Status);
        Assert.All(rolledBack.Products, p => Assert.Equal(ProductStatus.Draft, p.Status));
        Assert.Empty(harness.InvariantFailures);
    }

    public static TheoryData<string, FaultMode, int, WorkflowRunStatus> Faults()
    {
        var data = new TheoryData<string, FaultMode, int, WorkflowRunStatus>();
        foreach (var step in AllSteps)
        foreach (var mode in new[] { FaultMode.Throw, FaultMode.Hang }) // a Pause only delays an attempt (the two-node tests)
        {
            data.Add(step, mode, 2, WorkflowRunStatus.Succeeded); // fewer faults than attempts (3): retried to Active
            data.Add(step, mode, 3, WorkflowRunStatus.Stuck);     // as many faults as attempts: Stuck
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task EveryInjectedFaultEndsActiveAfterRetryOrStuckWithTheInvariantsHolding(
        string step, FaultMode mode, int times, WorkflowRunStatus expected)
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        harness.InjectFault(step, mode, times);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);

        var ended = await harness.DriveToEndAsync(merchant.Id, runId);

        Assert.Equal(expected, ended);
        Assert.Empty(harness.InvariantFailures);
        var run = await harness.RunAsync(merchant.Id, runId);
        var faulty = run.Steps.Single(s => s.Name == step);
        var final = await harness.PlanAsync(merchant.Id, plan.Id);
        if (expected == WorkflowRunStatus.Succeeded)
        {
            Assert.Equal(times + 1, faulty.Attempts);
            Assert.Equal(WorkflowStepStatus.Succeeded, faulty.Status);
            Assert.Equal(PlanStatus.Active, final.Status);
            Assert.All(final.Products, p => Assert.Equal(ProductStatus.Active, p.Status));
        }
        else
        {
            Assert.Equal(harness.Options.MaxAttempts, faulty.Attempts);
            Assert.Equal(WorkflowStepStatus.Failed, faulty.Status);
            Assert.Equal(step, run.NextStep!.Name);
            Assert.Contains(mode == FaultMode.Hang ? "Timed out" : "Injected fault", faulty.LastError);
            Assert.DoesNotContain(final.Products, p => p.Status == ProductStatus.Active);
        }
    }

    [Fact]
    public async Task AFailedStepWaitsForItsBackoffBeforeTheNextAttempt()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        harness.InjectFault(ActivationStepName.Validate, FaultMode.Throw, 1);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);

        await harness.RunJobAsync(merchant.Id, runId);
        var failed = (await harness.RunAsync(merchant.Id, runId)).Steps[0];
        await harness.RunJobAsync(merchant.Id, runId);
        var tooEarly = (await harness.RunAsync(merchant.Id, runId)).Steps[0];
        harness.Clock.Advance(harness.Options.RetryBaseDelay);
        await harness.RunJobAsync(merchant.Id, runId);
        var retried = (await harness.RunAsync(merchant.Id, runId)).Steps[0];

        Assert.Equal(WorkflowStepStatus.Failed, failed.Status);
        Assert.Equal(harness.Clock.GetUtcNow(), failed.NextAttemptAt);
        Assert.Equal(1, tooEarly.Attempts);
        Assert.Equal(WorkflowStepStatus.Succeeded, retried.Status);
        Assert.Equal(2, retried.Attempts);
        Assert.Contains(harness.Jobs.Created, j => j.State is Hangfire.States.ScheduledState);
    }

    [Theory]
    [InlineData(ActivationStepName.Validate)]
    [InlineData(ActivationStepName.FreezeTemplateVersion)]
    [InlineData(ActivationStepName.ProductsPending)]
    [InlineData(ActivationStepName.PlanActive)]
    [InlineData(ActivationStepName.ProductsActive)]
    public async Task RunningAStepASecondTimeChangesNothing(string step)
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        foreach (var _ in AllSteps.TakeWhile(s => s != step).Append(step))
        {
            await harness.RunJobAsync(merchant.Id, runId);
            await harness.DispatchAsync(merchant.Id, runId);
        }
        var once = Snapshot(await harness.PlanAsync(merchant.Id, plan.Id));
        var frozenOnce = (await harness.RunAsync(merchant.Id, runId)).TemplateVersionId;

        await harness.ForgetStepAsync(runId, step);
        await harness.RunJobAsync(merchant.Id, runId);
        await harness.DispatchAsync(merchant.Id, runId);

        var run = await harness.RunAsync(merchant.Id, runId);
        Assert.Equal(WorkflowStepStatus.Succeeded, run.Steps.Single(s => s.Name == step).Status);
        Assert.Equal(once, Snapshot(await harness.PlanAsync(merchant.Id, plan.Id)));
        Assert.Equal(frozenOnce, run.TemplateVersionId);
        Assert.Empty(harness.InvariantFailures);
    }

    [Fact]
    public async Task APlanActivatedMessageDeliveredTwiceActivatesTheProductsOnce()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        await harness.DriveToEndAsync(merchant.Id, runId);
        var once = await harness.RunAsync(merchant.Id, runId);

        // A duplicate of the message, as a re-send racing the first delivery would produce.
        await using (var db = harness.Database.For(merchant.Id))
        {
            db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new PlanActivated(plan.Id, runId), harness.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        await harness.DispatchAsync(merchant.Id, runId);

        var twice = await harness.RunAsync(merchant.Id, runId);
        Assert.Equal(once.Steps.Select(s => (s.Status, s.Attempts, s.FinishedAt)), twice.Steps.Select(s => (s.Status, s.Attempts, s.FinishedAt)));
        Assert.Equal(WorkflowRunStatus.Succeeded, twice.Status);
    }

    [Fact]
    public async Task WhenEveryQueuedJobIsLostTheSweeperStillFinishesTheRun()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        harness.Jobs.Created.Clear(); // Hangfire's storage lost the job

        Assert.Equal(0, await harness.Sweeper.SweepAsync(CancellationToken.None)); // not overdue yet: the job may still come
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await harness.Sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(PlanStatus.Active, (await harness.PlanAsync(merchant.Id, plan.Id)).Status);
        await harness.DispatchAsync(merchant.Id, runId);

        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.RunAsync(merchant.Id, runId)).Status);
        Assert.All((await harness.PlanAsync(merchant.Id, plan.Id)).Products, p => Assert.Equal(ProductStatus.Active, p.Status));
    }

    [Fact]
    public async Task TheSweeperDrivesRunsOfEveryMerchantInTheirOwnScope()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var coffee = await harness.AddMerchantAsync("coffee");
        var fruit = await harness.AddMerchantAsync("fruit");
        var coffeePlan = await harness.AddPlanAsync(coffee.Id);
        var fruitPlan = await harness.AddPlanAsync(fruit.Id);
        await harness.ActivationFor(coffee.Id).StartActivationAsync(coffeePlan.Id);
        await harness.ActivationFor(fruit.Id).StartActivationAsync(fruitPlan.Id);
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1));

        Assert.Equal(2, await harness.Sweeper.SweepAsync(CancellationToken.None));

        Assert.Equal(PlanStatus.Active, (await harness.PlanAsync(coffee.Id, coffeePlan.Id)).Status);
        Assert.Equal(PlanStatus.Active, (await harness.PlanAsync(fruit.Id, fruitPlan.Id)).Status);
        await using var db = harness.Database.For(fruit.Id);
        var audits = await db.AuditEntries.Where(a => a.AggregateType == nameof(WorkflowRun) && a.Action == "Modified").ToListAsync();
        Assert.NotEmpty(audits);
        Assert.All(audits, a => Assert.Equal(SystemActors.Activation, a.UserName));
    }

    [Fact]
    public async Task ARevisionLeavesTheOldPriceOnExistingProductsUntilItCompletes()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var service = harness.ActivationFor(merchant.Id);
        await harness.DriveToEndAsync(merchant.Id, await service.StartActivationAsync(plan.Id));
        var productId = (await harness.PlanAsync(merchant.Id, plan.Id)).Products.Single().Id;
        await harness.ChangePlanAsync(merchant.Id, plan.Id, (p, now) => p.ChangeProductPrice(productId, new Money(29_900, "CNY"), now));

        var revisionRun = await service.StartActivationAsync(plan.Id);
        for (var i = 0; i < 4; i++)
            await harness.RunJobAsync(merchant.Id, revisionRun);
        var beforeProducts = await harness.PlanAsync(merchant.Id, plan.Id);
        await harness.DispatchAsync(merchant.Id, revisionRun);
        var after = await harness.PlanAsync(merchant.Id, plan.Id);

        Assert.Equal(ActivationRunKind.ActivateRevision, (await harness.RunAsync(merchant.Id, revisionRun)).ActivationKind);
        Assert.Equal(PlanStatus.Active, beforeProducts.Status);
        Assert.Equal(19_900, beforeProducts.Products.Single().PriceMinorUnits);
        Assert.Equal(29_900, beforeProducts.Products.Single().PendingPriceMinorUnits);
        Assert.True(beforeProducts.IsSellable(productId));
        Assert.Equal(29_900, after.Products.Single().PriceMinorUnits);
        Assert.Null(after.Products.Single().PendingPriceMinorUnits);
        Assert.Equal(2, after.Revision);
        Assert.False(after.RevisionActivating);
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.RunAsync(merchant.Id, revisionRun)).Status);
        Assert.Empty(harness.InvariantFailures);
    }

    [Fact]
    public async Task SuspendTakesProductsOffSaleAndResumePutsThemBackThroughPlanActivated()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var service = harness.ActivationFor(merchant.Id);
        var runId = await service.StartActivationAsync(plan.Id);
        await harness.DriveToEndAsync(merchant.Id, runId);

        await service.SuspendAsync(plan.Id);
        var suspended = await harness.PlanAsync(merchant.Id, plan.Id);
        await service.ResumeAsync(plan.Id);
        var resumed = await harness.PlanAsync(merchant.Id, plan.Id);
        await harness.Dispatcher.DispatchAsync(CancellationToken.None);
        var onSale = await harness.PlanAsync(merchant.Id, plan.Id);
        await service.RetireAsync(plan.Id);
        var retired = await harness.PlanAsync(merchant.Id, plan.Id);

        Assert.Equal(PlanStatus.Suspended, suspended.Status);
        Assert.All(suspended.Products, p => Assert.Equal(ProductStatus.Inactive, p.Status));
        Assert.Equal(PlanStatus.Active, resumed.Status);
        Assert.All(resumed.Products, p => Assert.Equal(ProductStatus.Pending, p.Status));
        Assert.All(onSale.Products, p => Assert.Equal(ProductStatus.Active, p.Status));
        Assert.Equal(PlanStatus.Retired, retired.Status);
        Assert.All(retired.Products, p => Assert.Equal(ProductStatus.Inactive, p.Status));
        foreach (var state in new[] { suspended, resumed, onSale, retired })
            Assert.Empty(PlanInvariants.Violations(state));
    }

    [Fact]
    public async Task AJobGivenAnotherMerchantCannotTouchTheRun()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var coffee = await harness.AddMerchantAsync("coffee");
        var fruit = await harness.AddMerchantAsync("fruit");
        var plan = await harness.AddPlanAsync(coffee.Id);
        var runId = await harness.ActivationFor(coffee.Id).StartActivationAsync(plan.Id);

        await harness.Job.RunNextStepAsync(fruit.Id, runId);
        var fruitService = harness.ActivationFor(fruit.Id);

        var run = await harness.RunAsync(coffee.Id, runId);
        Assert.All(run.Steps, s => Assert.Equal(0, s.Attempts));
        Assert.Null(await fruitService.LatestRunAsync(plan.Id));
        await Assert.ThrowsAsync<DomainException>(() => fruitService.StartActivationAsync(plan.Id));
        await Assert.ThrowsAsync<DomainException>(() => fruitService.SuspendAsync(plan.Id));
        await Assert.ThrowsAsync<DomainException>(() => fruitService.DryRunAsync(plan.Id));
    }

    [Fact]
    public async Task AnUnscopedJobContextCannotSeeOrWritePlansAndRuns()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var coffee = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(coffee.Id);
        await harness.ActivationFor(coffee.Id).StartActivationAsync(plan.Id);

        await using var db = harness.Database.Unscoped();
        Assert.Equal(0, await db.MembershipPlans.CountAsync());
        Assert.Equal(0, await db.WorkflowRuns.CountAsync());
        db.MembershipPlans.Add(MembershipPlan.Create(coffee.Id, "Smuggled", null, "CNY", harness.Clock.GetUtcNow()));
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("no merchant is in scope", refusal.Message);
    }

    private static string Snapshot(MembershipPlan plan) =>
        $"{plan.Status}|{plan.Revision}|{plan.RevisionActivating}|{plan.CardTemplateVersionId}|{plan.PendingCardTemplateVersionId}|"
        + string.Join(",", plan.Products.Select(p => $"{p.Id}:{p.Status}:{p.PriceMinorUnits}:{p.PendingPriceMinorUnits}"));
}
