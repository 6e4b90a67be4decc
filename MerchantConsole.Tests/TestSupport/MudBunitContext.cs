using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MerchantConsole.Localization;
using MudBlazor.Services;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// The one bUnit base for MudBlazor components: loose JS interop (MudBlazor calls JS for focus and
/// measuring), MudBlazor services without transitions, and the app's localization (refusal texts, MudBlazor's strings). Call
/// <see cref="RenderProviders"/> before rendering anything that opens a popover or dialog.
/// xunit v3 disposes it through <see cref="IAsyncDisposable"/>, which MudBlazor's services need.
/// </summary>
public abstract class MudBunitContext : BunitContext
{
    protected MudBunitContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddConsoleLocalization();
    }

    /// <summary>Popovers (selects, menus) and dialogs render into these providers.</summary>
    protected void RenderProviders()
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
    }
}
