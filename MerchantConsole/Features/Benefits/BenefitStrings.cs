namespace MerchantConsole.Features.Benefits;

/// <summary>Marker for BenefitStrings.resx / BenefitStrings.zh-CN.resx.</summary>
public sealed class BenefitStrings;
