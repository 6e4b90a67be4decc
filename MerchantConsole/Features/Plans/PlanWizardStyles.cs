namespace MerchantConsole.Features.Plans;

internal static class PlanWizardStyles
{
    /// <summary>The outline on the tier, channel or product a dry-run problem's link points at.</summary>
    public const string Focus = "outline: 3px solid var(--mud-palette-warning); outline-offset: 2px;";
}
