namespace MerchantConsole.Features.Benefits;

/// <summary>The benefit wizard's steps; a dry-run problem's <see cref="Domain.Benefits.BenefitPart"/> names the one where it is fixed.</summary>
public enum BenefitWizardStep
{
    Basics,
    Settings,
    Review,
}
