using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Workflows;

namespace MerchantConsole.Tests.Domain.Workflows;

/// <summary>The run's state machine for a kind that is not plan activation: nothing in it knows plans.</summary>
public sealed class WorkflowRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static WorkflowRun Start(params WorkflowStepSpec[] steps) =>
        WorkflowRun.Start("BenefitActivation", Guid.NewGuid(), Guid.NewGuid(), "  Free coffee  ", steps, "alice", Now, "Activate", 2);

    [Fact]
    public void ARunRecordsItsKindSubjectAndStepsInOrderWithTheFirstDueNow()
    {
        var run = Start(new("CreateActivity"), new("Bind", Irreversible: true));

        Assert.Equal(("BenefitActivation", "Free coffee", "Activate", 2), (run.Kind, run.SubjectName, run.Variant, run.SubjectRevision));
        Assert.Equal([("CreateActivity", 1, false), ("Bind", 2, true)], run.Steps.Select(s => (s.Name, s.Order, s.Irreversible)));
        Assert.Equal(Now, run.NextStep!.NextAttemptAt);
        Assert.True(run.IsDue(Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Same")]
    public void ARunNeedsAKindAndStepsWithNamesOfTheirOwn(string kind)
    {
        var refusal = Assert.Throws<DomainException>(() =>
            WorkflowRun.Start(kind, Guid.NewGuid(), Guid.NewGuid(), "x", [new("Same"), new("Same")], "alice", Now));

        Assert.Equal(kind == "" ? "Run.KindInvalid" : "Run.StepsInvalid", refusal.Refusal.Code);
    }

    [Fact]
    public void AStepKeepsItsOutputAndRefusesAnotherValue()
    {
        var run = Start(new("CreateActivity"), new("Bind"));

        run.RecordOutput("CreateActivity", "activity-1");
        run.RecordOutput("CreateActivity", "activity-1");
        var refusal = Assert.Throws<DomainException>(() => run.RecordOutput("CreateActivity", "activity-2"));

        Assert.Equal("Run.StepOutputConflict", refusal.Refusal.Code);
        Assert.Equal("activity-1", run.Step("CreateActivity").Output);
        Assert.Equal("Run.StepUnknown", Assert.Throws<DomainException>(() => run.Step("Nope")).Refusal.Code);
    }

    [Fact]
    public void OnceAnIrreversibleStepIsDoneTheRunCanNoLongerBeRolledBack()
    {
        var run = Start(new("CreateActivity"), new("Bind", Irreversible: true), new("Feed"));
        foreach (var step in new[] { "CreateActivity", "Bind" })
        {
            Assert.True(run.CanRollBack);
            run.StartStep(step, Now);
            Assert.False(run.CanRollBack); // a step is running
            run.CompleteStep(step, Now);
        }

        var refusal = Assert.Throws<DomainException>(() => run.RollBack("support-bob", null, Now));

        Assert.False(run.CanRollBack);
        Assert.Equal("Run.RollbackAfterLive", refusal.Refusal.Code);
        Assert.Equal(new WorkflowStepRef("BenefitActivation", "Bind"), refusal.Refusal.Arguments["Step"]);
        Assert.Equal(WorkflowRunStatus.Running, run.Status);
    }
}
