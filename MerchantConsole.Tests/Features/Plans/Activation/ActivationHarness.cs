using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Benefits.Activation;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Feed;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Support;
using MerchantConsole.Messaging;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using MerchantConsole.Tests.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Plans.Activation;

/// <summary>
/// The activation machinery over a real SQLite database with a hand-moved clock. Nothing runs by itself: tests call
/// the job, the dispatcher and the sweeper, and the harness checks the invariants after every single call.
/// </summary>
internal sealed class ActivationHarness : IAsyncDisposable
{
    public TestDatabase Database { get; }
    public ManualClock Clock => Database.Clock;
    public WorkflowOptions Options { get; } = new()
    {
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromMinutes(1),
        StuckAfter = TimeSpan.FromMinutes(2),
    };
    public FaultInjectionOptions Faults { get; } = new();
    public RecordingJobClient Jobs { get; } = new();
    public WorkflowProgressNotifier Notifier { get; } = new(NullLogger<WorkflowProgressNotifier>.Instance);
    public WorkflowEngine Engine { get; }
    public WorkflowStepJob Job { get; }
    public WorkflowSweeper Sweeper { get; }
    public OutboxDispatcher Dispatcher { get; }
    public WorkflowJobQueue Queue { get; }
    /// <summary>Plan activation, benefit activation and the test-only <see cref="RenamePlanWorkflow"/>, so every test runs beside other kinds.</summary>
    public WorkflowDefinitions Definitions { get; } = new([new PlanActivationWorkflow(), new RenamePlanWorkflow(), new BenefitActivationWorkflow()]);
    public List<string> InvariantFailures { get; } = [];
    public PausingCheckpoints Checkpoints { get; } = new();

    private ActivationHarness(TestDatabase database)
    {
        Database = database;
        var activation = new Monitor<WorkflowOptions>(Options);
        Queue = new WorkflowJobQueue(Jobs, NullLogger<WorkflowJobQueue>.Instance);
        Engine = new WorkflowEngine(database.Contexts, database.Clock, activation, Definitions,
            new ConfiguredStepFaults(new Monitor<FaultInjectionOptions>(Faults), NullLogger<ConfiguredStepFaults>.Instance),
            Checkpoints, Notifier, Queue, NullLogger<WorkflowEngine>.Instance);
        Job = new WorkflowStepJob(Engine);
        Sweeper = new WorkflowSweeper(database.Contexts, Engine, database.Clock, activation, NullLogger<WorkflowSweeper>.Instance);
        Dispatcher = new OutboxDispatcher(database.Contexts, [
            new PlanActivatedHandler(Engine, database.Clock), new PlanRenamedHandler(Engine),
            new BenefitBindHandler(Engine), new ActivityFeedEffectiveHandler(), new ActivityFeedEndedHandler(),
            new MemberJoinedCouponHandler(database.Contexts, new SecureCouponCodeRandom(), NullLogger<MemberJoinedCouponHandler>.Instance),
        ], database.Clock,
            Microsoft.Extensions.Options.Options.Create(new OutboxOptions()), NullLogger<OutboxDispatcher>.Instance);
    }

    public static async Task<ActivationHarness> CreateAsync() => new(await TestDatabase.CreateAsync());

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    public Task<Merchant> AddMerchantAsync(string code) => Database.AddMerchantAsync(code);

    public void InjectFault(string step, FaultMode mode, int times, string? planNameContains = null, string? workflow = null) =>
        Faults.Rules.Add(new FaultRule { Workflow = workflow, Step = step, Mode = mode, Times = times, SubjectNameContains = planNameContains });

    public PlanActivationService ActivationFor(Guid merchantId, string user = "admin@test")
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, user);
        return new PlanActivationService(new MerchantDbContextFactory(Database.Contexts, scope), scope, Clock, Queue, Notifier);
    }

    public SupportConsoleService Support(string user = "support@test")
    {
        var scope = new MerchantScope();
        scope.UseAcrossMerchants(user);
        return SupportFor(scope);
    }

    public SupportConsoleService SupportFor(MerchantScope scope) =>
        new(Database.Contexts, scope, Clock, new Monitor<WorkflowOptions>(Options), Definitions, Queue, Notifier);

    /// <summary>A published card template version of the merchant.</summary>
    public async Task<Guid> PublishedTemplateVersionAsync(Guid merchantId)
    {
        var template = CardTemplate.Create(merchantId, "Member card", Designs.Compliant(), "designer", Clock.GetUtcNow());
        var version = template.Publish("designer", Clock.GetUtcNow());
        await using var db = Database.For(merchantId);
        db.CardTemplates.Add(template);
        await db.SaveChangesAsync();
        return version.Id;
    }

    /// <summary>
    /// A plan that passes the dry run: Silver (free signup, invite code, store QR) and Gold (purchase channel selling a
    /// yearly product at 199.00), on a published template version.
    /// </summary>
    public async Task<MembershipPlan> AddPlanAsync(Guid merchantId, string name = "Coffee Club", Action<MembershipPlan>? change = null,
        string inviteCode = "WELCOME-2026", string storeCode = "SH-001")
    {
        var now = Clock.GetUtcNow();
        var plan = MembershipPlan.Create(merchantId, name, "Members get a free cup every month.", "CNY", now);
        plan.ChooseCardTemplateVersion(await PublishedTemplateVersionAsync(merchantId), now);
        var silver = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, now);
        plan.AddChannel(silver.Id, JoinChannelType.FreeSignup, null, null, null, now);
        plan.AddChannel(silver.Id, JoinChannelType.InviteCode, null, inviteCode, null, now);
        plan.AddChannel(silver.Id, JoinChannelType.StoreQr, null, null, storeCode, now);
        var gold = plan.AddTier("Gold", "#FFD700", UpgradeRule.CumulativeSpend, 100_000, TierValidity.DaysFromJoin, 365, now);
        var purchase = plan.AddChannel(gold.Id, JoinChannelType.Purchase, null, null, null, now);
        plan.AddProduct(purchase.Id, "Gold yearly", new Money(19_900, "CNY"), 1, DurationUnit.Years, 500, 1, RenewalRule.ManualRenewal, now);
        change?.Invoke(plan);
        await using var db = Database.For(merchantId);
        db.MembershipPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan;
    }

    public async Task<MembershipPlan> PlanAsync(Guid merchantId, Guid planId)
    {
        await using var db = Database.For(merchantId);
        return await db.MembershipPlans.AsNoTracking().WithParts().SingleAsync(p => p.Id == planId);
    }

    public async Task<WorkflowRun> RunAsync(Guid merchantId, Guid runId)
    {
        await using var db = Database.For(merchantId);
        return await db.WorkflowRuns.AsNoTracking().WithSteps().SingleAsync(r => r.Id == runId);
    }

    /// <summary>Loads, changes and saves a plan as staff would.</summary>
    public async Task ChangePlanAsync(Guid merchantId, Guid planId, Action<MembershipPlan, DateTimeOffset> change)
    {
        await using var db = Database.For(merchantId);
        var plan = await db.MembershipPlans.WithParts().SingleAsync(p => p.Id == planId);
        change(plan, Clock.GetUtcNow());
        await db.SaveChangesAsync();
    }

    public async Task RunJobAsync(Guid merchantId, Guid runId)
    {
        await Job.RunNextStepAsync(merchantId, runId);
        await CheckInvariantsAsync(merchantId, runId, "job");
    }

    public async Task DispatchAsync(Guid merchantId, Guid runId)
    {
        await Dispatcher.DispatchAsync(CancellationToken.None);
        await CheckInvariantsAsync(merchantId, runId, "dispatch");
    }

    public async Task SweepAsync(Guid merchantId, Guid runId)
    {
        await Sweeper.SweepAsync(CancellationToken.None);
        await CheckInvariantsAsync(merchantId, runId, "sweep");
    }

    /// <summary>
    /// Plays every worker in turn (step job, outbox dispatcher, sweeper) and moves the clock to whatever the run waits
    /// for, until the run is no longer Running. Returns how it ended.
    /// </summary>
    public async Task<WorkflowRunStatus> DriveToEndAsync(Guid merchantId, Guid runId, int maxRounds = 40)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            await RunJobAsync(merchantId, runId);
            await DispatchAsync(merchantId, runId);
            await SweepAsync(merchantId, runId);
            var run = await RunAsync(merchantId, runId);
            if (run.Status != WorkflowRunStatus.Running)
                return run.Status;
            var step = run.NextStep!;
            var now = Clock.GetUtcNow();
            if (step.Status == WorkflowStepStatus.Running)
                Clock.Advance(Options.StuckAfter + TimeSpan.FromSeconds(1));
            else if (step.NextAttemptAt is { } at && at > now)
                Clock.Advance(at - now);
            else
                Clock.Advance(TimeSpan.FromSeconds(5)); // e.g. the outbox's own retry backoff
        }
        throw new InvalidOperationException($"Run {runId} did not finish in {maxRounds} rounds.");
    }

    /// <summary>The rules that must hold at every moment, whatever failed (issue 4).</summary>
    public async Task CheckInvariantsAsync(Guid merchantId, Guid runId, string after)
    {
        var run = await RunAsync(merchantId, runId);
        if (run.Kind != PlanActivation.Kind)
        {
            // Any other kind: the rules its own definition states for the support console.
            await using var db = Database.For(merchantId);
            var records = await Definitions.Get(run.Kind).DescribeAsync(db, run, CancellationToken.None);
            InvariantFailures.AddRange(records.InvariantViolations.Select(p => $"after {after}: {p}"));
            return;
        }
        var plan = await PlanAsync(merchantId, run.PlanId);
        var problems = PlanInvariants.Violations(plan).ToList();
        if (run.IsFinished && plan.Products.Any(p => p.Status == ProductStatus.Pending))
            problems.Add($"A product is Pending although the run is {run.Status}.");
        if (run.Status == WorkflowRunStatus.Succeeded && plan.Status != PlanStatus.Active)
            problems.Add($"The run succeeded but the plan is {plan.Status}.");
        if (run.Status == WorkflowRunStatus.RolledBack && plan.Status is PlanStatus.Activating)
            problems.Add("The run was rolled back but the plan is still Activating.");
        InvariantFailures.AddRange(problems.Select(p => $"after {after}: {p}"));
    }

    /// <summary>The audit entries support actions wrote on a run.</summary>
    public async Task<List<AuditEntry>> SupportAuditAsync(Guid merchantId, Guid runId)
    {
        await using var db = Database.For(merchantId);
        var key = runId.ToString();
        return await db.AuditEntries.Where(a => a.EntityId == key && a.Action.StartsWith("Support")).ToListAsync();
    }

    /// <summary>As if the record of a finished step were lost: the step is due to run again.</summary>
    public async Task ForgetStepAsync(Guid runId, string step)
    {
        await using var db = Database.Unscoped();
        var now = Clock.GetUtcNow();
        await db.Set<WorkflowStep>()
            .Where(s => EF.Property<Guid>(s, "RunId") == runId && s.Name == step)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, WorkflowStepStatus.Pending).SetProperty(x => x.NextAttemptAt, now));
        await db.WorkflowRuns.IgnoreQueryFilters().Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, WorkflowRunStatus.Running).SetProperty(r => r.FinishedAt, (DateTimeOffset?)null));
    }

    private sealed class Monitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}

/// <summary>Records what would have gone on the Hangfire queue; nothing runs.</summary>
internal sealed class RecordingJobClient : IBackgroundJobClient
{
    public List<(Job Job, IState State)> Created { get; } = [];

    public string Create(Job job, IState state)
    {
        Created.Add((job, state));
        return Created.Count.ToString();
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
