using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
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

public sealed record SupportRunQuery(SupportRunFilter Filter, Guid? MerchantId, string? PlanName, int Page, int PageSize);

public sealed record SupportRunRow(
    Guid RunId,
    Guid MerchantId,
    string MerchantName,
    Guid PlanId,
    string PlanName,
    ActivationRunKind Kind,
    ActivationRunStatus Status,
    bool IsSlow,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string RequestedBy,
    ActivationStepName? CurrentStep,
    int Attempts,
    string? LastError);

public sealed record SupportRunList(IReadOnlyList<SupportRunRow> Rows, int Total);

public sealed record SupportMerchant(Guid Id, string Name);

public sealed record SupportProductView(Guid Id, string Name, string TierName, ProductStatus Status, Money Price, Money? PendingPrice, bool InPendingRevision);

public sealed record SupportAuditView(DateTimeOffset At, string UserName, string Action, string? Step, string? Reason);

public sealed record SupportRunDetail(
    ActivationRunView Run,
    string MerchantName,
    string PlanName,
    PlanStatus PlanStatus,
    int PlanRevision,
    bool RevisionActivating,
    bool IsSlow,
    IReadOnlyList<SupportProductView> Products,
    IReadOnlyList<string> InvariantViolations,
    IReadOnlyList<SupportAuditView> SupportActions);

/// <summary>
/// The support console's queries and commands. Reads span every merchant; each command writes only rows of the run's
/// own merchant (their MerchantId is already set), and is recorded on the run and as an audit entry with the support
/// user's name and reason.
/// </summary>
public sealed class SupportConsoleService(
    ProviderContextOptions contexts,
    MerchantScope requestScope,
    TimeProvider clock,
    IOptionsMonitor<ActivationOptions> options,
    ActivationJobQueue queue,
    ActivationProgressNotifier notifier)
{
    public const string AuditEntityType = nameof(ActivationRun);
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
        var runs = db.ActivationRuns.AsNoTracking();
        runs = query.Filter switch
        {
            SupportRunFilter.StuckOrSlow => runs.Where(r => r.Status == ActivationRunStatus.Stuck
                                                            || (r.Status == ActivationRunStatus.Running && r.StartedAt < slowBefore)),
            SupportRunFilter.Stuck => runs.Where(r => r.Status == ActivationRunStatus.Stuck),
            SupportRunFilter.Slow => runs.Where(r => r.Status == ActivationRunStatus.Running && r.StartedAt < slowBefore),
            SupportRunFilter.Running => runs.Where(r => r.Status == ActivationRunStatus.Running),
            SupportRunFilter.Succeeded => runs.Where(r => r.Status == ActivationRunStatus.Succeeded),
            SupportRunFilter.RolledBack => runs.Where(r => r.Status == ActivationRunStatus.RolledBack),
            _ => runs,
        };
        if (query.MerchantId is { } merchantId)
            runs = runs.Where(r => r.MerchantId == merchantId);

        var rows =
            from r in runs
            join p in db.MembershipPlans on r.PlanId equals p.Id
            join m in db.Merchants on r.MerchantId equals m.Id
            select new { Run = r, PlanName = p.Name, MerchantName = m.Name };
        if (!string.IsNullOrWhiteSpace(query.PlanName))
            rows = rows.Where(x => EF.Functions.Like(x.PlanName, LikePattern.Containing(query.PlanName), LikePattern.Escape));

        var total = await rows.CountAsync(ct);
        var page = await rows
            .OrderByDescending(x => x.Run.StartedAt)
            .Skip(Math.Max(0, query.Page) * query.PageSize)
            .Take(query.PageSize)
            .Select(x => new
            {
                x.Run.Id, x.Run.MerchantId, x.MerchantName, x.Run.PlanId, x.PlanName, x.Run.Kind, x.Run.Status, x.Run.StartedAt,
                x.Run.FinishedAt, x.Run.RequestedBy,
                Current = x.Run.Steps
                    .Where(s => s.Status != ActivationStepStatus.Succeeded && s.Status != ActivationStepStatus.Repaired)
                    .OrderBy(s => s.Order)
                    .Select(s => new { s.Name, s.Attempts, s.LastError })
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);

        return new SupportRunList(
            [.. page.Select(x => new SupportRunRow(x.Id, x.MerchantId, x.MerchantName, x.PlanId, x.PlanName, x.Kind, x.Status,
                x.Status == ActivationRunStatus.Running && x.StartedAt < slowBefore, x.StartedAt, x.FinishedAt, x.RequestedBy,
                x.Status is ActivationRunStatus.Running or ActivationRunStatus.Stuck ? x.Current?.Name : null,
                x.Current?.Attempts ?? 0, x.Current?.LastError))],
            total);
    }

    public async Task<SupportRunDetail?> RunAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = AcrossMerchants();
        var run = await db.ActivationRuns.AsNoTracking().WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
            return null;
        var plan = await db.MembershipPlans.AsNoTracking().WithParts()
            .SingleAsync(p => p.Id == run.PlanId && p.MerchantId == run.MerchantId, ct);
        var merchantName = await db.Merchants.Where(m => m.Id == run.MerchantId).Select(m => m.Name).SingleAsync(ct);
        var runKey = run.Id.ToString();
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.MerchantId == run.MerchantId && a.EntityType == AuditEntityType && a.EntityId == runKey && a.Action.StartsWith(AuditPrefix))
            .OrderBy(a => a.Id)
            .ToListAsync(ct);

        var products = plan.Tiers.SelectMany(t => t.JoinChannels.Where(c => c.Product is not null)
                .Select(c => new SupportProductView(c.Product!.Id, c.Product.Name, t.Name, c.Product.Status, c.Product.Price,
                    c.Product.PendingPrice, plan.IsPendingRevision(c.Product))))
            .ToList();
        return new SupportRunDetail(
            ActivationRunView.From(run), merchantName, plan.Name, plan.Status, plan.Revision, plan.RevisionActivating,
            run.Status == ActivationRunStatus.Running && run.StartedAt < clock.GetUtcNow() - options.CurrentValue.StuckAfter,
            products, PlanInvariants.Violations(plan), [.. audit.Select(ToView)]);
    }

    /// <summary>A Stuck run gets a fresh set of attempts at its failed step, which is queued at once.</summary>
    public Task RetryAsync(Guid runId, string? reason, CancellationToken ct = default) =>
        ActAsync(runId, SupportAction.Retry, null, reason, (run, _, actor, now) =>
        {
            run.Retry(actor, reason, now);
            return Task.CompletedTask;
        }, ct);

    /// <summary>Undoes the completed steps in reverse through the domain: the plan returns to Draft (or its revision to pending).</summary>
    public Task RollBackAsync(Guid runId, string? reason, CancellationToken ct = default) =>
        ActAsync(runId, SupportAction.RollBack, null, reason, async (run, db, actor, now) =>
        {
            var plan = await LoadPlanAsync(db, run, ct);
            ActivationEngine.Undo(plan, run.RollBack(actor, reason, now), now);
        }, ct);

    /// <summary>
    /// Support fixed the next step by hand. Refused without a reason, and refused while the records do not show the
    /// step's effect, because the run would then go on from a state that is not there.
    /// </summary>
    public Task MarkStepRepairedAsync(Guid runId, ActivationStepName step, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Run.RepairReasonRequired", "Say what was repaired: a reason is required to mark a step repaired.");
        return ActAsync(runId, SupportAction.MarkRepaired, step, reason, async (run, db, actor, now) =>
        {
            var plan = await LoadPlanAsync(db, run, ct);
            if (MissingEffect(step, plan) is { } missing)
                throw new DomainException("Run.RepairEffectMissing", "Step {Step} cannot be marked repaired: {Missing} Retry the run instead, or fix the records first.", ("Step", step), ("Missing", missing));
            run.MarkStepRepaired(step, reason, actor, now);
        }, ct);
    }

    private async Task ActAsync(Guid runId, SupportAction action, ActivationStepName? step, string? reason,
        Func<ActivationRun, MerchantDbContext, string, DateTimeOffset, Task> act, CancellationToken ct)
    {
        var actor = SupportActor();
        await using var db = AcrossMerchants();
        var run = await db.ActivationRuns.WithSteps().SingleOrDefaultAsync(r => r.Id == runId, ct)
                  ?? throw new DomainException("Run.NotFound", "That activation run was not found.");
        var now = clock.GetUtcNow();
        await act(run, db, actor, now);
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
                new AuditChange("Step", null, step?.ToString()),
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
        notifier.Notify(run.MerchantId, run.PlanId, run.Id);
        if (run.Status == ActivationRunStatus.Running)
            queue.RunNextStep(run.MerchantId, run.Id);
    }

    private static async Task<MembershipPlan> LoadPlanAsync(MerchantDbContext db, ActivationRun run, CancellationToken ct) =>
        await db.MembershipPlans.WithParts().SingleOrDefaultAsync(p => p.Id == run.PlanId && p.MerchantId == run.MerchantId, ct)
        ?? throw new DomainException("Run.PlanGone", "The plan of this run no longer exists.");

    private static string? MissingEffect(ActivationStepName step, MembershipPlan plan) => step switch
    {
        ActivationStepName.ProductsPending when plan.Products.Any(p => p.Status == ProductStatus.Draft && (!plan.HasGoneLive || plan.IsPendingRevision(p)))
            => "some products are still Draft.",
        ActivationStepName.PlanActive when plan.Status != PlanStatus.Active => $"the plan is {plan.Status}, not Active.",
        ActivationStepName.ProductsActive when plan.RevisionActivating || plan.Products.Any(p => p.Status == ProductStatus.Pending)
            => "products are still waiting to go on sale.",
        _ => null,
    };

    // Support staff have no merchant; a merchant's staff member never reaches these commands even if a page let them.
    private string SupportActor()
    {
        if (requestScope.MerchantId is not null || string.IsNullOrWhiteSpace(requestScope.UserName))
            throw new DomainException("Support.OnlySupport", "Only support staff can act on activation runs.");
        return requestScope.UserName;
    }

    private MerchantDbContext AcrossMerchants() => contexts.CreateAcrossMerchants(SupportActor());

    private static SupportAuditView ToView(AuditEntry entry)
    {
        var changes = entry.ReadChanges();
        var step = changes.FirstOrDefault(c => c.Field == "Step")?.New;
        var reason = changes.FirstOrDefault(c => c.Field == "Reason")?.New;
        return new SupportAuditView(entry.At, entry.UserName, entry.Action[AuditPrefix.Length..], step, reason);
    }
}
