using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Plans;

public class ActivationRunTests
{
    private static readonly DateTimeOffset Now = PlanBuilder.Now;
    private static readonly StepRetryPolicy Policy = new(3, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));

    private static WorkflowRun StartRun() => PlanActivation.Start(new PlanBuilder().Build(), "alice", Now);

    private static void Succeed(WorkflowRun run, string name)
    {
        run.StartStep(name, Now);
        run.CompleteStep(name, Now);
    }

    private static WorkflowRun StuckAt(string name)
    {
        var run = StartRun();
        foreach (var step in run.Steps.TakeWhile(s => s.Name != name))
            Succeed(run, step.Name);
        for (var i = 0; i < Policy.MaxAttempts; i++)
        {
            run.StartStep(name, Now);
            run.FailStep(name, "timeout", Now, Policy);
        }
        return run;
    }

    [Fact]
    public void StartingARunBeginsThePlanActivationWithEveryStepPending()
    {
        var plan = new PlanBuilder().Build();

        var run = PlanActivation.Start(plan, "alice", Now);

        Assert.Equal(PlanStatus.Activating, plan.Status);
        Assert.Equal(ActivationRunKind.Activate, run.ActivationKind);
        Assert.Equal((PlanActivation.Kind, plan.Id, plan.Name), (run.Kind, run.SubjectId, run.SubjectName));
        Assert.Equal(plan.MerchantId, run.MerchantId);
        Assert.Equal(WorkflowRunStatus.Running, run.Status);
        Assert.Equal(
            [ActivationStepName.Validate, ActivationStepName.FreezeTemplateVersion, ActivationStepName.ProductsPending,
             ActivationStepName.PlanActive, ActivationStepName.ProductsActive],
            run.Steps.Select(s => s.Name));
        Assert.Equal([1, 2, 3, 4, 5], run.Steps.Select(s => s.Order));
        Assert.All(run.Steps, s => Assert.Equal(WorkflowStepStatus.Pending, s.Status));
        Assert.Equal(ActivationStepName.Validate, run.NextStep!.Name);
    }

    [Fact]
    public void ARunForAnActivePlanActivatesItsRevision()
    {
        var plan = new PlanBuilder().BuildActive();
        plan.ChangeProductPrice(plan.Product().Id, new Money(29_900, "CNY"), Now);

        var run = PlanActivation.Start(plan, "alice", Now);

        Assert.Equal(ActivationRunKind.ActivateRevision, run.ActivationKind);
        Assert.Equal(2, run.Revision);
        Assert.True(plan.RevisionActivating);
    }

    [Fact]
    public void ARunCannotStartForAPlanThatCannotActivate()
    {
        var plan = new PlanBuilder().BuildActive();

        Assert.Throws<DomainException>(() => PlanActivation.Start(plan, "alice", Now));
    }

    [Fact]
    public void StepsMustRunInOrder()
    {
        var run = StartRun();

        var refusal = Assert.Throws<DomainException>(() => run.StartStep(ActivationStepName.PlanActive, Now));

        Assert.Contains("Validate comes first", refusal.Message);
        Assert.All(run.Steps, s => Assert.Equal(0, s.Attempts));
    }

    [Fact]
    public void ACompletedStepCannotRunAgain()
    {
        var run = StartRun();
        Succeed(run, ActivationStepName.Validate);

        var refusal = Assert.Throws<DomainException>(() => run.StartStep(ActivationStepName.Validate, Now));

        Assert.Contains("already done", refusal.Message);
    }

    [Fact]
    public void ARunningStepCannotStartTwice()
    {
        var run = StartRun();
        run.StartStep(ActivationStepName.Validate, Now);

        Assert.Throws<DomainException>(() => run.StartStep(ActivationStepName.Validate, Now));
        Assert.Equal(1, run.Steps[0].Attempts);
    }

    [Fact]
    public void CompletingEveryStepSucceedsTheRun()
    {
        var run = StartRun();
        var end = Now.AddMinutes(1);

        foreach (var step in run.Steps.Take(4))
            Succeed(run, step.Name);
        run.StartStep(ActivationStepName.ProductsActive, end);
        run.CompleteStep(ActivationStepName.ProductsActive, end);

        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.True(run.IsFinished);
        Assert.Null(run.NextStep);
        Assert.Equal(end, run.FinishedAt);
    }

    [Fact]
    public void StartingAStepCountsAnAttempt()
    {
        var run = StartRun();

        run.StartStep(ActivationStepName.Validate, Now);

        Assert.Equal(1, run.Steps[0].Attempts);
        Assert.Equal(WorkflowStepStatus.Running, run.Steps[0].Status);
        Assert.Equal(Now, run.Steps[0].StartedAt);
    }

    [Fact]
    public void EachFailureWaitsLongerBeforeTheNextAttempt()
    {
        var run = StartRun();
        var policy = new StepRetryPolicy(5, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
        var delays = new List<TimeSpan>();

        for (var i = 0; i < 3; i++)
        {
            run.StartStep(ActivationStepName.Validate, Now);
            run.FailStep(ActivationStepName.Validate, $"boom {i}", Now, policy);
            delays.Add(run.Steps[0].NextAttemptAt!.Value - Now);
        }

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], delays);
        Assert.Equal("boom 2", run.Steps[0].LastError);
        Assert.Equal(WorkflowStepStatus.Failed, run.Steps[0].Status);
        Assert.Equal(WorkflowRunStatus.Running, run.Status);
    }

    [Fact]
    public void BackoffIsCappedAtTheMaximumDelay()
    {
        var policy = new StepRetryPolicy(20, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.FromSeconds(40), policy.DelayAfter(3));
        Assert.Equal(TimeSpan.FromMinutes(1), policy.DelayAfter(10));
    }

    [Fact]
    public void TheRunIsStuckAfterTheLastAllowedAttemptFails()
    {
        var run = StartRun();

        for (var i = 0; i < Policy.MaxAttempts; i++)
        {
            Assert.Equal(WorkflowRunStatus.Running, run.Status);
            run.StartStep(ActivationStepName.Validate, Now);
            run.FailStep(ActivationStepName.Validate, "timeout", Now, Policy);
        }

        Assert.Equal(WorkflowRunStatus.Stuck, run.Status);
        Assert.False(run.IsFinished);
        Assert.Null(run.Steps[0].NextAttemptAt);
        Assert.Throws<DomainException>(() => run.StartStep(ActivationStepName.Validate, Now));
    }

    [Fact]
    public void RetryingAStuckRunResetsTheFailedStepsAttempts()
    {
        var run = StuckAt(ActivationStepName.ProductsPending);
        var later = Now.AddHours(1);

        run.Retry("support-bob", "database was down", later);

        var step = run.NextStep!;
        Assert.Equal(WorkflowRunStatus.Running, run.Status);
        Assert.Equal(ActivationStepName.ProductsPending, step.Name);
        Assert.Equal(0, step.Attempts);
        Assert.Equal(WorkflowStepStatus.Pending, step.Status);
        Assert.Equal(later, step.NextAttemptAt);
        var note = Assert.Single(run.Notes);
        Assert.Equal((SupportAction.Retry, "support-bob", later), (note.Action, note.By, note.At));
    }

    [Fact]
    public void OnlyAStuckRunCanBeRetried()
    {
        var run = StartRun();

        Assert.Throws<DomainException>(() => run.Retry("support-bob", null, Now));
        Assert.Empty(run.Notes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void MarkingAStepRepairedNeedsAReason(string reason)
    {
        var run = StuckAt(ActivationStepName.FreezeTemplateVersion);

        Assert.Throws<DomainException>(() =>
            run.MarkStepRepaired(ActivationStepName.FreezeTemplateVersion, reason, "support-bob", Now));
        Assert.Equal(WorkflowRunStatus.Stuck, run.Status);
        Assert.Empty(run.Notes);
    }

    [Fact]
    public void ARepairedStepCountsAsDoneAndTheRunMovesOn()
    {
        var run = StuckAt(ActivationStepName.FreezeTemplateVersion);

        run.MarkStepRepaired(ActivationStepName.FreezeTemplateVersion, "froze version 3 by hand", "support-bob", Now);

        Assert.Equal(WorkflowRunStatus.Running, run.Status);
        Assert.Equal(WorkflowStepStatus.Repaired, run.Steps[1].Status);
        Assert.Equal(ActivationStepName.ProductsPending, run.NextStep!.Name);
        var note = Assert.Single(run.Notes);
        Assert.Equal(SupportAction.MarkRepaired, note.Action);
        Assert.Equal(ActivationStepName.FreezeTemplateVersion, note.Step);
        Assert.Equal("froze version 3 by hand", note.Reason);
    }

    [Fact]
    public void RepairingTheLastStepSucceedsTheRun()
    {
        var run = StuckAt(ActivationStepName.ProductsActive);

        run.MarkStepRepaired(ActivationStepName.ProductsActive, "activated in the admin tool", "support-bob", Now);

        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
    }

    [Fact]
    public void ARunningStepCannotBeMarkedRepaired()
    {
        var run = StartRun();
        Succeed(run, ActivationStepName.Validate);
        run.StartStep(ActivationStepName.FreezeTemplateVersion, Now);

        var refusal = Assert.Throws<DomainException>(() =>
            run.MarkStepRepaired(ActivationStepName.FreezeTemplateVersion, "pinned it by hand", "support-bob", Now));

        Assert.Equal("Activation.StepRunning", refusal.Refusal.Code);
        Assert.Equal(new WorkflowStepRef(PlanActivation.Kind, ActivationStepName.FreezeTemplateVersion), refusal.Refusal.Arguments["Step"]);
        var step = run.Steps[1];
        Assert.Equal((WorkflowStepStatus.Running, 1), (step.Status, step.Attempts));
        Assert.Empty(run.Notes);
    }

    [Fact]
    public void OnlyTheNextStepCanBeRepaired()
    {
        var run = StuckAt(ActivationStepName.ProductsPending);

        Assert.Throws<DomainException>(() =>
            run.MarkStepRepaired(ActivationStepName.PlanActive, "skip", "support-bob", Now));
    }

    [Fact]
    public void RollingBackUndoesAttemptedStepsInReverseOrder()
    {
        var run = StuckAt(ActivationStepName.ProductsPending);

        var undo = run.RollBack("support-bob", "template was wrong", Now);

        Assert.Equal(
            [ActivationStepName.ProductsPending, ActivationStepName.FreezeTemplateVersion, ActivationStepName.Validate],
            undo.Select(s => s.Name));
        Assert.All(undo, s => Assert.Equal(WorkflowStepStatus.Undone, s.Status));
        Assert.Equal(WorkflowStepStatus.Pending, run.Steps[3].Status);
        Assert.Equal(WorkflowRunStatus.RolledBack, run.Status);
        Assert.True(run.IsFinished);
        Assert.Equal(SupportAction.RollBack, Assert.Single(run.Notes).Action);
    }

    [Fact]
    public void ARunCannotBeRolledBackOnceThePlanWentLive()
    {
        var run = StuckAt(ActivationStepName.ProductsActive);

        var refusal = Assert.Throws<DomainException>(() => run.RollBack("support-bob", null, Now));

        Assert.Contains("gone live", refusal.Message);
        Assert.Equal(WorkflowRunStatus.Stuck, run.Status);
    }

    [Fact]
    public void ARunCannotBeRolledBackWhileAStepIsRunning()
    {
        var run = StartRun();
        run.StartStep(ActivationStepName.Validate, Now);

        Assert.Throws<DomainException>(() => run.RollBack("support-bob", null, Now));
        Assert.Equal(WorkflowRunStatus.Running, run.Status);
    }

    [Fact]
    public void AFinishedRunRefusesFurtherActions()
    {
        var run = StuckAt(ActivationStepName.Validate);
        run.RollBack("support-bob", null, Now);

        Assert.Throws<DomainException>(() => run.RollBack("support-bob", null, Now));
        Assert.Throws<DomainException>(() => run.Retry("support-bob", null, Now));
        Assert.Throws<DomainException>(() =>
            run.MarkStepRepaired(ActivationStepName.Validate, "fixed", "support-bob", Now));
    }

    [Fact]
    public void AStepRunningPastTheThresholdIsOverdue()
    {
        var run = StartRun();
        run.StartStep(ActivationStepName.Validate, Now);
        var threshold = TimeSpan.FromMinutes(5);

        Assert.False(run.IsOverdue(Now.AddMinutes(4), threshold));
        Assert.True(run.IsOverdue(Now.AddMinutes(6), threshold));
    }

    [Fact]
    public void AStepDueButNeverStartedIsOverdue()
    {
        var run = StartRun();
        Succeed(run, ActivationStepName.Validate);
        var threshold = TimeSpan.FromMinutes(5);

        Assert.False(run.IsOverdue(Now.AddMinutes(4), threshold));
        Assert.True(run.IsOverdue(Now.AddMinutes(6), threshold));
    }

    [Fact]
    public void AFailedStepWaitingForItsBackoffIsNotOverdueYet()
    {
        var run = StartRun();
        var policy = new StepRetryPolicy(5, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        run.StartStep(ActivationStepName.Validate, Now);
        run.FailStep(ActivationStepName.Validate, "boom", Now, policy);

        Assert.False(run.IsDue(Now.AddMinutes(9)));
        Assert.True(run.IsDue(Now.AddMinutes(10)));
        Assert.False(run.IsOverdue(Now.AddMinutes(14), TimeSpan.FromMinutes(5)));
        Assert.True(run.IsOverdue(Now.AddMinutes(16), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void AStuckRunIsLeftToSupportNotTheSweeper()
    {
        var run = StuckAt(ActivationStepName.Validate);

        Assert.False(run.IsOverdue(Now.AddDays(1), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void ASupportActionWithoutAnActorIsRefused()
    {
        var run = StuckAt(ActivationStepName.Validate);

        Assert.Throws<DomainException>(() => run.Retry(" ", null, Now));
        Assert.Equal(WorkflowRunStatus.Stuck, run.Status);
    }

    [Theory]
    [InlineData(WorkflowStepStatus.Pending, false)]
    [InlineData(WorkflowStepStatus.Running, false)]
    [InlineData(WorkflowStepStatus.Succeeded, true)]
    [InlineData(WorkflowStepStatus.Failed, false)]
    [InlineData(WorkflowStepStatus.Repaired, true)]
    [InlineData(WorkflowStepStatus.Undone, false)]
    public void OnlySucceededAndRepairedStepsCountAsDone(WorkflowStepStatus status, bool done)
    {
        Assert.Equal(done, status.IsDone());
        Assert.Equal(done, new MerchantConsole.Workflows.WorkflowStepView(ActivationStepName.Validate, status, 0, null, null, null, null).IsDone);
    }
}
