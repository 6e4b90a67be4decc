using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Support;

public enum SupportRunFilter
{
    /// <summary>What needs attention: Stuck runs and runs Running for longer than the threshold.</summary>
    StuckOrSlow,
    Stuck,
    Slow,
    Running,
    Succeeded,
    RolledBack,
    All,
}

/// <summary>A page of runs; <paramref name="Kind"/> limits it to one workflow kind, <paramref name="SubjectName"/> to subjects whose name contains it.</summary>
public sealed record SupportRunQuery(SupportRunFilter Filter, Guid? MerchantId, string? SubjectName, int Page, int PageSize, string? Kind = null);

public sealed record SupportRunRow(
    Guid RunId,
    Guid MerchantId,
    string MerchantName,
    string Kind,
    Guid SubjectId,
    string SubjectName,
    string? Variant,
    WorkflowRunStatus Status,
    bool IsSlow,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string RequestedBy,
    string? CurrentStep,
    int Attempts,
    string? LastError);

public sealed record SupportRunList(IReadOnlyList<SupportRunRow> Rows, int Total);

public sealed record SupportMerchant(Guid Id, string Name);

public sealed record SupportAuditView(DateTimeOffset At, string UserName, string Action, string? Step, string? Reason);

/// <summary>A run with the records it involves, as its workflow describes them.</summary>
public sealed record SupportRunDetail(
    WorkflowRunView Run,
    string MerchantName,
    WorkflowRecords Records,
    bool IsSlow,
    IReadOnlyList<SupportAuditView> SupportActions)
{
    public string SubjectName => Records.SubjectName;
    public IReadOnlyList<string> InvariantViolations => Records.InvariantViolations;
}

/// <summary>
/// The support console's queries and commands, for runs of every workflow kind: each kind's definition undoes, checks
/// and describes its own records. Reads span every merchant; each command writes only rows of the run's
/// own merchant (their MerchantId is already set), and is recorded on the run and as an audit entry with the support
/// user's name and reason.
/// </summary>
public sealed class SupportConsoleService(
    ProviderContextOptions contexts,
    MerchantScope requestScope,
    TimeProvider clock,
    IOptionsMonitor<WorkflowOptions> options,
    WorkflowDefinitions definitions,
    WorkflowJobQueue queue,
    WorkflowProgressNotifier notifier)
{
    public const string AuditEntityType = nameof(WorkflowRun);
    private const string AuditPrefix = "Support";

    public async Task<IReadOnlyList<SupportMerchant>> MerchantsAsync(CancellationToken ct = default)
    {
        await using var db = AcrossMerchants();
        return await db.Merchants.AsNoTracking().OrderBy(m => m.Name).Select(m => new SupportMerchant(m.Id, m.Name)).ToListAsync(ct);
    }

    public async Task<SupportRunList> ListRunsAsync(SupportRunQuery query, CancellationToken ct = default)
    {
        await using var db = AcrossMerchants();
        var slowBefore = clock.GetUtcNow() - options.CurrentValue.StuckAfter;
        var runs = db.WorkflowRuns.AsNoTracking();
        runs = query.Filter switch
        {
            SupportRunFilter.StuckOrSlow => runs.Where(r => r.Status == WorkflowRunStatus.Stuck
                                                            || (r.Status == WorkflowRunStatus.Running && r.StartedAt < slowBefore)),
            SupportRunFilter.Stuck => runs.Where(r => r.Status == WorkflowRunStatus.Stuck),
            SupportRunFilter.Slow => runs.Where(r => r.Status == WorkflowRunStatus.Running && r.StartedAt < slowBefore),
            SupportRunFilter.Running => runs.Where(r => r.Status == WorkflowRunStatus.Running),
            SupportRunFilter.Succeeded => runs.Where(r => r.Status == WorkflowRunStatus.Succeeded),
            SupportRunFilter.RolledBack => runs.Where(r => r.Status == WorkflowRunStatus.RolledBack),
            _ => runs,
        };
        if (query.MerchantId is { } merchantId)
            runs = runs.Where(r => r.MerchantId == merchantId);
        if (!string.IsNullOrWhiteSpace(query.Kind))
            runs = runs.Where(r => r.Kind == query.Kind);
        if (!string.IsNullOrWhiteSpace(query.SubjectName))
            runs = runs.Where(r => EF.Functions.Like(r.SubjectName, LikePattern.Containing(query.SubjectName), LikePattern.Escape));

        var rows =
            from r in runs
            join m in db.Merchants on r.MerchantId equals m.Id
            select new { Run = r, MerchantName = m.Name };

        var total = await rows.CountAsync(ct);
        var page = await rows
            .OrderByDescending(x => x.Run.StartedAt)
            .Skip(Math.Max(0, query.Page) * query.PageSize)
            .Take(query.PageSize)
            .Select(x => new
            {
                x.Run.Id, x.Run.MerchantId, x.MerchantName, x.Run.Kind, x.Run.SubjectId, x.Run.SubjectName, x.Run.Variant, x.Run.Status, x.Run.StartedAt,
                x.Run.FinishedAt, x.Run.RequestedBy,
                Current = x.Run.Steps
                    .Where(s => s.Status != WorkflowStepStatus.Succeeded && s.Status != WorkflowStepStatus.Repaired)
                    .OrderBy(s => s.Order)
                    .Select(s => new { s.Name, s.Attempts, s.LastError })
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);

        return new SupportRunList(
            [.. page.Select(x => new SupportRunRow(x.Id, x.MerchantId, x.MerchantName, x.Kind, x.SubjectId, x.SubjectName, x.Variant, x.Status,
                x.Status == WorkflowRunStatus.Running && x.StartedAt < slowBefore, x.StartedAt, x.FinishedAt, x.RequestedBy,
                x.Status is WorkflowRunStatus.Running or WorkflowRunStatus.Stuck ? x.Current?.Name : null,
                x.Current?.Attempts ?? 0, x.Current?.LastError))],
            total);
    }

    public async Task<SupportRunDetail?> RunAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = AcrossMerchants();
        var run = await db.WorkflowRuns.AsNoTracking().WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
            return null;
        var records = definitions.Find(run.Kind) is { } definition
            ? await definition.DescribeAsync(db, run, ct)
            : new WorkflowRecords(run.SubjectName, [$"No workflow of kind {run.Kind} is installed; its records cannot be shown."], typeof(UnknownWorkflowRecords), run.Kind);
        var merchantName = await db.Merchants.Where(m => m.Id == run.MerchantId).Select(m => m.Name).SingleAsync(ct);
        var runKey = run.Id.ToString();
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.MerchantId == run.MerchantId && a.EntityType == AuditEntityType && a.EntityId == runKey && a.Action.StartsWith(AuditPrefix))
            .OrderBy(a => a.Id)
            .ToListAsync(ct);
        return new SupportRunDetail(
            WorkflowRunView.From(run), merchantName, records,
            run.Status == WorkflowRunStatus.Running && run.StartedAt < clock.GetUtcNow() - options.CurrentValue.StuckAfter,
            [.. audit.Select(ToView)]);
    }

    /// <summary>A Stuck run gets a fresh set of attempts at its failed step, which is queued at once.</summary>
    public Task RetryAsync(Guid runId, string? reason, CancellationToken ct = default) =>
        ActAsync(runId, SupportAction.Retry, null, reason, (run, _, _, actor, now) =>
        {
            run.Retry(actor, reason, now);
            return Task.CompletedTask;
        }, ct);

    /// <summary>Undoes the completed steps in reverse: the run's workflow undoes their effects (a plan returns to Draft, or its revision to pending).</summary>
    public Task RollBackAsync(Guid runId, string? reason, CancellationToken ct = default) =>
        ActAsync(runId, SupportAction.RollBack, null, reason, async (run, definition, db, actor, now) =>
        {
            await definition.UndoAsync(db, run, run.RollBack(actor, reason, now), now, ct);
        }, ct);

    /// <summary>
    /// Support fixed the next step by hand. Refused without a reason, and refused while the records do not show the
    /// step's effect (the workflow says), because the run would then go on from a state that is not there.
    /// </summary>
    public Task MarkStepRepairedAsync(Guid runId, string step, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Run.RepairReasonRequired", "Say what was repaired: a reason is required to mark a step repaired.");
        return ActAsync(runId, SupportAction.MarkRepaired, step, reason, async (run, definition, db, actor, now) =>
        {
            if (await definition.MissingEffectAsync(db, run, step, ct) is { } missing)
                throw new DomainException("Run.RepairEffectMissing", "Step {Step} cannot be marked repaired: {Missing} Retry the run instead, or fix the records first.",
                    ("Step", run.Ref(step)), ("Missing", missing));
            run.MarkStepRepaired(step, reason, actor, now);
        }, ct);
    }

    private async Task ActAsync(Guid runId, SupportAction action, string? step, string? reason,
        Func<WorkflowRun, IWorkflowDefinition, MerchantDbContext, string, DateTimeOffset, Task> act, CancellationToken ct)
    {
        var actor = SupportActor();
        await using var db = AcrossMerchants();
        var run = await db.WorkflowRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct)
                  ?? throw new DomainException("Run.NotFound", "That run was not found.");
        var definition = definitions.Get(run.Kind);
        var now = clock.GetUtcNow();
        await act(run, definition, db, actor, now);
        db.AuditEntries.Add(new AuditEntry
        {
            MerchantId = run.MerchantId,
            At = now,
            UserId = requestScope.UserId,
            UserName = actor,
            EntityType = AuditEntityType,
            EntityId = run.Id.ToString(),
            AggregateType = AuditEntityType,
            AggregateId = run.Id.ToString(),
            Action = AuditPrefix + action,
            Changes = AuditEntry.WriteChanges(
            [
                new AuditChange("Step", null, step),
                new AuditChange("Reason", null, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()),
            ]),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Run.ChangedConcurrently", "The run changed while you were looking at it; reload and try again.");
        }
        notifier.Notify(run.MerchantId, run.SubjectId, run.Id);
        if (run.Status == WorkflowRunStatus.Running)
            queue.RunNextStep(run.MerchantId, run.Id);
    }

    // Support staff have no merchant; a merchant's staff member never reaches these commands even if a page let them.
    private string SupportActor() =>
        requestScope.SupportUserName ?? throw new DomainException("Support.OnlySupport", "Only support staff can act on workflow runs.");

    private MerchantDbContext AcrossMerchants() => contexts.CreateAcrossMerchants(SupportActor());

    private static SupportAuditView ToView(AuditEntry entry)
    {
        var changes = entry.ReadChanges();
        var step = changes.FirstOrDefault(c => c.Field == "Step")?.New;
        var reason = changes.FirstOrDefault(c => c.Field == "Reason")?.New;
        return new SupportAuditView(entry.At, entry.UserName, entry.Action[AuditPrefix.Length..], step, reason);
    }
}
