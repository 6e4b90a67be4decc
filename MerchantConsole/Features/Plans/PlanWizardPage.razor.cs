using MerchantConsole.Account;
using MerchantConsole.Domain.Common;
using MerchantConsole.Localization;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Utilities;

namespace MerchantConsole.Features.Plans;

/// <summary>
/// The plan wizard. The plan exists once step 1 is saved; every step change saves the step first, so a draft can be
/// left at any point and resumed later at the step named in <c>?step=</c>. Leaving with unsaved changes asks first.
/// </summary>
public partial class PlanWizardPage
{
    private static readonly PlanWizardStep[] FormSteps = [PlanWizardStep.Basics, PlanWizardStep.Tiers, PlanWizardStep.Channels, PlanWizardStep.Products];

    [Inject] private PlanQueries Plans { get; set; } = null!;
    [Inject] private PlanWizardService Wizard { get; set; } = null!;
    [Inject] private RefusalText Refusals { get; set; } = null!;
    [Inject] private PlanActivationService Activation { get; set; } = null!;
    [Inject] private CurrentStaff Staff { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<PlanStrings> T { get; set; } = null!;

    [Parameter] public Guid? Id { get; set; }
    [SupplyParameterFromQuery(Name = "step")] public string? Step { get; set; }
    /// <summary>The tier, channel or product to highlight, from a dry-run problem's link.</summary>
    /// <remarks>Read as text: a typed Guid? makes Blazor throw on a malformed value, ending the circuit; a bad id is ignored.</remarks>
    [SupplyParameterFromQuery(Name = "focus")] public string? FocusId { get; set; }

    private Guid? Focus => Guid.TryParse(FocusId, out var id) ? id : null;

    private MudForm? _form;
    private PlanEditModel? _model;
    private BasicsForm _newBasics = new();
    private string _newSnapshot = "";
    private readonly Dictionary<PlanWizardStep, string> _saved = [];
    private IReadOnlyList<TemplateVersionOption> _versions = [];
    private IReadOnlyList<DryRunProblem>? _problems;
    private Guid? _loadedId;
    private bool _initialised;
    private bool _loading = true;
    private bool _notFound;
    private bool _conflict;
    private bool _busy;
    private bool _discardOnArrival;
    private string? _error;
    private string? _activateError;
    private int _activeIndex;
    /// <summary>Where to go once step 1 of a new plan is saved.</summary>
    private PlanWizardStep _stepAfterCreate = PlanWizardStep.Tiers;

    private PlanWizardStep CurrentStep => (PlanWizardStep)_activeIndex;

    private BasicsForm Basics => _model?.Basics ?? _newBasics;

    private string Title => _model is null ? T["Wizard.NewTitle"] : T["Wizard.EditTitle", _model.Basics.Name];

    private bool IsDirty => _model is null
        ? System.Text.Json.JsonSerializer.Serialize(_newBasics) != _newSnapshot
        : FormSteps.Any(IsStepDirty);

    private bool IsStepDirty(PlanWizardStep step) =>
        _model is null ? step == PlanWizardStep.Basics && IsDirty : _saved.GetValueOrDefault(step) != _model.Snapshot(step);

    /// <summary>
    /// Done means saved: the step has something in it and nothing unsaved, so a step whose save failed (refused, or a
    /// conflict) stays not done until a save succeeds.
    /// </summary>
    private bool IsStepDone(PlanWizardStep step) => _model is not null && !IsStepDirty(step) && step switch
    {
        PlanWizardStep.Basics => true,
        PlanWizardStep.Tiers => _model.Tiers.Count > 0,
        PlanWizardStep.Channels => _model.Channels.Count > 0,
        PlanWizardStep.Products => _model.Products.Count > 0,
        _ => false,
    };

    private string? ReadOnlyReason => _model switch
    {
        null => null,
        { Status: PlanStatus.Retired } => T["Wizard.ReadOnlyRetired"].Value,
        { Status: PlanStatus.Suspended } => T["Wizard.ReadOnlySuspended"].Value,
        { ActivationInFlight: true } => T["Wizard.ReadOnlyActivating"].Value,
        _ => null,
    };

    private bool ReadOnly => ReadOnlyReason is not null;

    private string? ActivateUnavailableReason => _model switch
    {
        null => null,
        _ when IsDirty => T["Review.SaveFirst"].Value,
        { ActivationInFlight: true } => T["Wizard.ReadOnlyActivating"].Value,
        { Status: PlanStatus.Active, HasPendingRevision: false } => T["Review.NothingToActivate"].Value,
        { Status: PlanStatus.Suspended or PlanStatus.Retired } => ReadOnlyReason,
        _ => null,
    };

    protected override async Task OnParametersSetAsync()
    {
        await Staff.LoadAsync();
        if (!_initialised || Id != _loadedId || _discardOnArrival)
        {
            _initialised = true;
            _discardOnArrival = false;
            await LoadAsync(Id);
        }
        if (_notFound)
            return;

        var requested = _model is null ? PlanWizardStep.Basics : PlansSetup.ParseStep(Step) ?? PlanWizardStep.Basics;
        var arriving = (int)requested != _activeIndex || requested == PlanWizardStep.Review;
        _activeIndex = (int)requested;
        if (requested == PlanWizardStep.Review && arriving)
            await DryRunAsync();
    }

    private async Task LoadAsync(Guid? id)
    {
        _loading = true;
        _conflict = false;
        _error = null;
        _problems = null;
        if (id is { } planId)
        {
            _model = await Plans.LoadAsync(planId);
            _notFound = _model is null;
            if (_model is not null)
                RememberSaved();
        }
        else
        {
            _model = null;
            _notFound = false;
            _newBasics = new BasicsForm { Currency = Staff.Merchant?.DefaultCurrency ?? "CNY" };
            _newSnapshot = System.Text.Json.JsonSerializer.Serialize(_newBasics);
        }
        if (!_notFound)
            _versions = await Plans.TemplateVersionsAsync(_model?.Basics.CardTemplateVersionId);
        _loadedId = id;
        _loading = false;
    }

    private void RememberSaved()
    {
        foreach (var step in FormSteps)
            _saved[step] = _model!.Snapshot(step);
    }

    private async Task ReloadAsync()
    {
        await LoadAsync(_loadedId);
        if (CurrentStep == PlanWizardStep.Review)
            await DryRunAsync();
    }

    // Re-renders the page when any input of the current step changes, so IsDirty (and the navigation lock) follow it.
    private void OnFieldChanged(FormFieldChangedEventArgs _) { }

    private async Task OnPreviewInteractionAsync(StepperInteractionEventArgs args)
    {
        // The page drives the stepper itself: a step header click saves the current step before moving.
        args.Cancel = true;
        if (args.Action == StepAction.Activate)
            await GoToAsync((PlanWizardStep)args.StepIndex);
    }

    private async Task GoToAsync(PlanWizardStep step)
    {
        if (step == CurrentStep || step < PlanWizardStep.Basics || step > PlanWizardStep.Review)
            return;
        _stepAfterCreate = step;
        if (!await SaveCurrentAsync())
            return;
        if (_model is not null)
            Navigation.NavigateTo(PlansSetup.EditUrl(_model.Id, step));
    }

    private async Task SaveDraftAsync()
    {
        _stepAfterCreate = PlanWizardStep.Basics;
        if (await SaveCurrentAsync())
            Snackbar.Add(T["Wizard.Saved"], Severity.Success);
    }

    /// <summary>Saves the current step if it has changes; false (with the reason shown) when it could not be saved.</summary>
    private async Task<bool> SaveCurrentAsync()
    {
        if (ReadOnly || CurrentStep == PlanWizardStep.Review || !IsStepDirty(CurrentStep))
            return true;
        if (_form is not null)
        {
            await _form.ValidateAsync();
            if (!_form.IsValid)
            {
                _error = T["Wizard.FixFields"];
                return false;
            }
        }

        _busy = true;
        _error = null;
        try
        {
            if (_model is null)
                return await CreateAsync();
            var result = CurrentStep switch
            {
                PlanWizardStep.Basics => await Wizard.SaveBasicsAsync(_model.Id, _model.Stamp, _model.Basics),
                PlanWizardStep.Tiers => await Wizard.SaveTiersAsync(_model.Id, _model.Stamp, _model.Tiers),
                PlanWizardStep.Channels => await Wizard.SaveChannelsAsync(_model.Id, _model.Stamp, _model.Channels),
                _ => await Wizard.SaveProductsAsync(_model.Id, _model.Stamp, _model.Products),
            };
            if (!Handle(result))
                return false;
            await LoadAsync(_model.Id);
            return !_notFound;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<bool> CreateAsync()
    {
        var result = await Wizard.CreateAsync(_newBasics);
        if (!Handle(result))
            return false;
        await LoadAsync(result.PlanId);
        // Same page, new address: the loaded id matches, so arriving at it does not load again.
        Snackbar.Add(T["Wizard.Created"], Severity.Success);
        Navigation.NavigateTo(PlansSetup.EditUrl(result.PlanId!.Value, _stepAfterCreate), replace: true);
        return false;
    }

    private bool Handle(PlanSaveResult result)
    {
        switch (result.Outcome)
        {
            case PlanSaveOutcome.Saved:
                _conflict = false;
                return true;
            case PlanSaveOutcome.Conflict:
                _conflict = true;
                return false;
            case PlanSaveOutcome.NotFound:
                _notFound = true;
                return false;
            default:
                _error = result.Refusal is { } refusal ? Refusals.Render(refusal) : null;
                return false;
        }
    }

    private async Task DryRunAsync()
    {
        if (_model is null)
            return;
        _problems = null;
        _activateError = null;
        StateHasChanged();
        _problems = await Activation.DryRunAsync(_model.Id);
    }

    private async Task ActivateAsync()
    {
        if (_model is null)
            return;
        _busy = true;
        _activateError = null;
        try
        {
            await Activation.StartActivationAsync(_model.Id);
            Navigation.NavigateTo(PlansSetup.PlanUrl(_model.Id));
        }
        catch (DomainException refusal)
        {
            _activateError = Refusals.Render(refusal);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!IsDirty)
            return;
        var leave = await Dialogs.ShowMessageBoxAsync(T["Leave.Title"], T["Leave.Text"], yesText: T["Leave.Discard"], cancelText: T["Leave.Stay"]);
        if (leave != true)
        {
            context.PreventNavigation();
            return;
        }
        // Leaving to another step of this same wizard (a dry-run fix link) must not carry the discarded edits along.
        _discardOnArrival = true;
    }
}
