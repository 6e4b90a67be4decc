using MerchantConsole.Account;
using MerchantConsole.Domain.Common;
using MerchantConsole.Localization;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Workflows;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantConsole.Features.Plans;

/// <summary>
/// A plan with its tiers, channels and products, its activation runs and its change history (AuditTrailPanel). The current run's
/// progress follows without a reload: the progress notifier pushes changes made in this process, and a 2 s poll
/// covers runs driven by another node.
/// </summary>
public partial class PlanPage : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private enum PlanCommand { Suspend, Resume, Retire }

    [Inject] private PlanQueries Plans { get; set; } = null!;
    [Inject] private PlanWizardService Wizard { get; set; } = null!;
    [Inject] private PlanActivationService Activation { get; set; } = null!;
    [Inject] private WorkflowProgressNotifier Notifier { get; set; } = null!;
    [Inject] private CurrentStaff Staff { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<PlanStrings> T { get; set; } = null!;
    [Inject] private RefusalText Refusals { get; set; } = null!;

    [Parameter] public Guid Id { get; set; }

    private PlanDetails? _details;
    private IReadOnlyList<WorkflowRunView> _runs = [];
    private bool _notFound;
    private bool _busy;
    /// <summary>Store managers read plans to answer customers; only merchant admins change them.</summary>
    private bool _canEdit;
    private string? _actionError;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private CancellationTokenSource? _polling;
    private bool _subscribed;
    private bool _disposed;

    private WorkflowRunView? CurrentRun => _runs.Count > 0 ? _runs[0] : null;

    private bool InFlight => _details?.Plan.ActivationInFlight == true || CurrentRun is { IsFinished: false };

    protected override async Task OnParametersSetAsync()
    {
        await Staff.LoadAsync();
        _canEdit = PlansSetup.CanEdit(Staff.User);
        await RefreshAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive render gets here, so neither the subscription nor the poll is started while prerendering.
        if (!firstRender)
            return;
        Notifier.RunChanged += OnRunChanged;
        _subscribed = true;
        _polling = new CancellationTokenSource();
        _ = PollAsync(_polling.Token);
    }

    private void OnRunChanged(Guid merchantId, Guid planId, Guid runId)
    {
        if (planId != Id || _disposed)
            return;
        _ = InvokeAsync(async () =>
        {
            await RefreshAsync();
            StateHasChanged();
        });
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!InFlight || _disposed)
                    continue;
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshAsync()
    {
        if (!await _refreshing.WaitAsync(0))
            return;
        try
        {
            var details = await Plans.DetailsAsync(Id);
            _notFound = details is null;
            _details = details;
            _runs = details is null ? [] : await Activation.RunsAsync(Id);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task ConfirmAsync(PlanCommand command)
    {
        if (!_canEdit)
            return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(T[$"Confirm.{command}.Title"], T[$"Confirm.{command}.Text"],
            yesText: T[$"Plan.{command}"], cancelText: T["Action.Cancel"]);
        if (confirmed != true)
            return;
        _busy = true;
        _actionError = null;
        try
        {
            await (command switch
            {
                PlanCommand.Suspend => Activation.SuspendAsync(Id),
                PlanCommand.Resume => Activation.ResumeAsync(Id),
                _ => Activation.RetireAsync(Id),
            });
            Snackbar.Add(T[$"Done.{command}"], Severity.Success);
        }
        catch (DomainException refusal)
        {
            _actionError = Refusals.Render(refusal);
        }
        finally
        {
            _busy = false;
        }
        await RefreshAsync();
    }

    private async Task DiscardRevisionAsync()
    {
        if (_details is null || !_canEdit)
            return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(T["Confirm.Discard.Title"], T["Confirm.Discard.Text"],
            yesText: T["Plan.DiscardRevision"], cancelText: T["Action.Cancel"]);
        if (confirmed != true)
            return;
        _busy = true;
        var result = await Wizard.DiscardPendingRevisionAsync(Id, _details.Plan.ConcurrencyStamp);
        _busy = false;
        _actionError = result.Outcome switch
        {
            PlanSaveOutcome.Conflict => T["Wizard.Conflict"],
            PlanSaveOutcome.Invalid => result.Refusal is { } refusal ? Refusals.Render(refusal) : null,
            _ => null,
        };
        await RefreshAsync();
    }

    private static double Progress(WorkflowRunView run) => run.Steps.Count == 0 ? 0 : 100.0 * run.Steps.Count(s => s.IsDone) / run.Steps.Count;

    private string ValidityText(MembershipPlan plan) => plan.ValidityPolicy switch
    {
        ValidityPolicy.FixedDays => T["Plan.ValidDays", plan.ValidityDays ?? 0],
        ValidityPolicy.UntilDate => T["Plan.ValidUntil", plan.ValidUntil?.ToString("yyyy-MM-dd") ?? ""],
        _ => T["ValidityPolicy.Permanent"],
    };

    private string RuleText(MembershipPlan plan, Tier tier)
    {
        var rule = tier.UpgradeRule switch
        {
            UpgradeRule.CumulativeSpend when tier.Threshold is { } spend => T["Tiers.RuleSpend", new Money(spend, plan.Currency).ToString()],
            UpgradeRule.Points when tier.Threshold is { } points => T["Tiers.RulePoints", points],
            _ => T[$"UpgradeRule.{tier.UpgradeRule}"],
        };
        var validity = tier.Validity == TierValidity.DaysFromJoin ? T["Tiers.ValidDays", tier.ValidityDays ?? 0] : T["TierValidity.Permanent"];
        return $"{rule} · {validity}";
    }

    private string ChannelText(MembershipPlan plan, JoinChannel channel) => channel.Type switch
    {
        JoinChannelType.SpendThreshold when channel.SpendThreshold is { } spend => new Money(spend, plan.Currency).ToString(),
        JoinChannelType.InviteCode => channel.InviteCode ?? "",
        JoinChannelType.StoreQr => channel.StoreCode ?? "",
        _ => "",
    };


    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_subscribed)
            Notifier.RunChanged -= OnRunChanged;
        if (_polling is not null)
        {
            await _polling.CancelAsync();
            _polling.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
