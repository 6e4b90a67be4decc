namespace MerchantConsole.Features.Plans;

/// <summary>Marker for this feature's resx pair (PlanStrings.resx / .zh-CN.resx).</summary>
public sealed class PlanStrings;
