using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Plans.Activation;

/// <summary>
/// Two workers on one run, interleaved on purpose: worker A is held at a checkpoint (after it loaded the run, or after
/// it saved the start of its attempt), worker B runs to completion, then A resumes. A must lose without effect.
/// </summary>
public sealed class ActivationRaceTests
{
    public enum Worker
    {
        Job,
        Sweeper,
        Handler,
    }

    public static TheoryData<string, Worker, WorkflowCheckpoint> Boundaries()
    {
        var data = new TheoryData<string, Worker, WorkflowCheckpoint>();
        foreach (var step in new[] { ActivationStepName.Validate, ActivationStepName.FreezeTemplateVersion, ActivationStepName.ProductsPending, ActivationStepName.PlanActive })
        foreach (var held in new[] { Worker.Job, Worker.Sweeper })
        foreach (var at in Enum.GetValues<WorkflowCheckpoint>())
            data.Add(step, held, at);
        return data;
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task AWorkerThatLoadedTheRunBeforeAnotherMovedItChangesNothing(string step, Worker held, WorkflowCheckpoint at)
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        foreach (var _ in ActivationStepName.All.TakeWhile(s => s != step))
            await harness.RunJobAsync(merchant.Id, runId);
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1)); // overdue, so the sweeper takes it too
        var other = held == Worker.Job ? Worker.Sweeper : Worker.Job;

        var pause = harness.Checkpoints.Arm(at, runId);
        var workerA = Task.Run(() => OnceAsync(harness, held, merchant.Id, runId));
        Assert.Equal(step, await pause.HeldAtAsync());
        await ToProductsStepAsync(harness, other, merchant.Id, runId);
        var afterB = await harness.RunAsync(merchant.Id, runId);
        pause.Release();
        await workerA;
        var afterA = await harness.RunAsync(merchant.Id, runId);
        await harness.DispatchAsync(merchant.Id, runId);

        Assert.Equal(Snapshot(afterB), Snapshot(afterA));
        Assert.Equal(WorkflowRunStatus.Succeeded, (await harness.RunAsync(merchant.Id, runId)).Status);
        var final = await harness.RunAsync(merchant.Id, runId);
        foreach (var s in final.Steps)
            Assert.Equal(s.Name == step && at == WorkflowCheckpoint.Started ? 2 : 1, s.Attempts); // A's timed-out start counts once
        await AssertOneEffectEachAsync(harness, merchant.Id, plan.Id, runId);
    }

    [Theory]
    [InlineData(Worker.Handler)]
    [InlineData(Worker.Sweeper)]
    public async Task TheHandlerAndTheSweeperInterleavedAtTheProductsStepHaveOneEffect(Worker held)
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        for (var i = 0; i < 4; i++)
            await harness.RunJobAsync(merchant.Id, runId);
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1)); // the sweeper would time the message out

        var pause = harness.Checkpoints.Arm(WorkflowCheckpoint.Loaded, runId);
        var workerA = Task.Run(() => OnceAsync(harness, held, merchant.Id, runId));
        Assert.Equal(ActivationStepName.ProductsActive, await pause.HeldAtAsync());
        await OnceAsync(harness, held == Worker.Handler ? Worker.Sweeper : Worker.Handler, merchant.Id, runId);
        var afterB = await harness.RunAsync(merchant.Id, runId);
        var productsAfterB = (await harness.PlanAsync(merchant.Id, plan.Id)).Products.Select(p => p.Status).ToList();
        pause.Release();
        await workerA;
        var afterA = await harness.RunAsync(merchant.Id, runId);

        Assert.Equal(Snapshot(afterB), Snapshot(afterA));
        Assert.Equal(productsAfterB, (await harness.PlanAsync(merchant.Id, plan.Id)).Products.Select(p => p.Status));
        Assert.Equal(WorkflowRunStatus.Succeeded, await harness.DriveToEndAsync(merchant.Id, runId));
        var products = (await harness.RunAsync(merchant.Id, runId)).Steps.Single(s => s.Name == ActivationStepName.ProductsActive);
        // Held handler: the sweeper timed attempt 1 out and attempt 2 completed. Held sweeper: attempt 1 completed.
        Assert.Equal(held == Worker.Handler ? 2 : 1, products.Attempts);
        await AssertOneEffectEachAsync(harness, merchant.Id, plan.Id, runId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AProductsStepWhoseMessageIsNeverHandledIsResentAndEndsStuck(bool messageLost)
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        for (var i = 0; i < 4; i++)
            await harness.RunJobAsync(merchant.Id, runId);
        if (messageLost)
        {
            await using var db = harness.Database.For(merchant.Id);
            await db.OutboxMessages.Where(m => m.CorrelationId == runId).ExecuteDeleteAsync();
        }

        // No dispatcher runs: only the sweeper, round after round.
        var status = WorkflowRunStatus.Running;
        for (var round = 0; round < 20 && status == WorkflowRunStatus.Running; round++)
        {
            harness.Clock.Advance(harness.Options.StuckAfter + harness.Options.RetryMaxDelay + TimeSpan.FromSeconds(1));
            await harness.SweepAsync(merchant.Id, runId);
            status = (await harness.RunAsync(merchant.Id, runId)).Status;
        }

        Assert.Equal(WorkflowRunStatus.Stuck, status);
        var run = await harness.RunAsync(merchant.Id, runId);
        var products = run.Steps.Single(s => s.Name == ActivationStepName.ProductsActive);
        Assert.Equal(WorkflowStepStatus.Failed, products.Status);
        Assert.Equal(harness.Options.MaxAttempts, products.Attempts);
        Assert.Contains("Timed out: PlanActivated was sent", products.LastError);
        Assert.All((await harness.PlanAsync(merchant.Id, plan.Id)).Products, p => Assert.Equal(ProductStatus.Pending, p.Status));
        // Re-sent only when none was waiting: one undelivered message, found by its run id.
        Assert.Single(await PlanActivatedMessagesAsync(harness, merchant.Id, runId));
        Assert.Empty(harness.InvariantFailures);
    }

    [Fact]
    public async Task ARetriedProductsStepFindsItsWaitingMessageByTheRunIdNotByItsText()
    {
        await using var harness = await ActivationHarness.CreateAsync();
        var merchant = await harness.AddMerchantAsync("coffee");
        var plan = await harness.AddPlanAsync(merchant.Id);
        var runId = await harness.ActivationFor(merchant.Id).StartActivationAsync(plan.Id);
        for (var i = 0; i < 4; i++)
            await harness.RunJobAsync(merchant.Id, runId);
        await using (var db = harness.Database.For(merchant.Id))
        {
            // A message of another record that merely mentions the run id in its text is not the one waited for.
            db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new PlanActivated(plan.Id, runId), harness.Clock.GetUtcNow(), Guid.NewGuid()));
            await db.OutboxMessages.Where(m => m.CorrelationId == runId).ExecuteDeleteAsync();
            await db.SaveChangesAsync();
        }
        harness.Clock.Advance(harness.Options.StuckAfter + TimeSpan.FromSeconds(1));
        await harness.RunJobAsync(merchant.Id, runId); // times the lost message out
        harness.Clock.Advance(harness.Options.RetryMaxDelay);

        await harness.RunJobAsync(merchant.Id, runId);

        var resent = Assert.Single(await PlanActivatedMessagesAsync(harness, merchant.Id, runId));
        Assert.Equal(new PlanActivated(plan.Id, runId), resent.Read<PlanActivated>());
        Assert.Equal(2, (await harness.RunAsync(merchant.Id, runId)).Steps.Single(s => s.Name == ActivationStepName.ProductsActive).Attempts);
    }

    private static async Task OnceAsync(ActivationHarness harness, Worker worker, Guid merchantId, Guid runId)
    {
        switch (worker)
        {
            case Worker.Job:
                await harness.Job.RunNextStepAsync(merchantId, runId);
                break;
            case Worker.Sweeper:
                await harness.Sweeper.SweepAsync(CancellationToken.None);
                break;
            case Worker.Handler:
                await harness.Dispatcher.DispatchAsync(CancellationToken.None);
                break;
        }
    }

    /// <summary>Runs one kind of worker, moving the clock past every wait, until the run waits for its PlanActivated message.</summary>
    private static async Task ToProductsStepAsync(ActivationHarness harness, Worker worker, Guid merchantId, Guid runId)
    {
        for (var round = 0; round < 20; round++)
        {
            await OnceAsync(harness, worker, merchantId, runId);
            if ((await harness.RunAsync(merchantId, runId)).NextStep is { Name: ActivationStepName.ProductsActive, Status: WorkflowStepStatus.Running })
                return;
            harness.Clock.Advance(harness.Options.StuckAfter + harness.Options.RetryMaxDelay + TimeSpan.FromSeconds(1));
        }
        throw new InvalidOperationException($"{worker} did not bring run {runId} to its products step.");
    }

    private static string Snapshot(WorkflowRun run) =>
        $"{run.Status}|{run.TemplateVersionId}|" + string.Join(",", run.Steps.Select(s => $"{s.Name}:{s.Status}:{s.Attempts}:{s.StartedAt:O}:{s.FinishedAt:O}:{s.NextAttemptAt:O}"));

    private static async Task<List<OutboxMessage>> PlanActivatedMessagesAsync(ActivationHarness harness, Guid merchantId, Guid runId)
    {
        await using var db = harness.Database.For(merchantId);
        var type = OutboxMessage.MessageTypeName<PlanActivated>();
        return await db.OutboxMessages.AsNoTracking().Where(m => m.CorrelationId == runId && m.Type == type).ToListAsync();
    }

    /// <summary>One PlanActivated message for the run, the plan went Active once, each product went Pending once and Active once.</summary>
    private static async Task AssertOneEffectEachAsync(ActivationHarness harness, Guid merchantId, Guid planId, Guid runId)
    {
        Assert.Single(await PlanActivatedMessagesAsync(harness, merchantId, runId));
        await using var db = harness.Database.For(merchantId);
        var audits = await db.AuditEntries.AsNoTracking().ToListAsync();
        var statusChanges = audits
            .SelectMany(a => a.ReadChanges().Where(c => c.Field == "Status").Select(c => (a.EntityType, a.EntityId, c.New)))
            .ToList();
        Assert.Single(statusChanges, c => c.EntityType == nameof(MembershipPlan) && c.EntityId == planId.ToString() && c.New == nameof(PlanStatus.Active));
        var plan = await harness.PlanAsync(merchantId, planId);
        foreach (var product in plan.Products)
        {
            Assert.Equal(ProductStatus.Active, product.Status);
            Assert.Single(statusChanges, c => c.EntityType == nameof(MembershipProduct) && c.EntityId == product.Id.ToString() && c.New == nameof(ProductStatus.Pending));
            Assert.Single(statusChanges, c => c.EntityType == nameof(MembershipProduct) && c.EntityId == product.Id.ToString() && c.New == nameof(ProductStatus.Active));
        }
        await harness.CheckInvariantsAsync(merchantId, runId, "the race");
        Assert.Empty(harness.InvariantFailures);
    }
}
