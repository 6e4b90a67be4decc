namespace MerchantConsole.Features.Support;

/// <summary>Marker for this feature's resx pair (SupportStrings.resx / .zh-CN.resx).</summary>
public sealed class SupportStrings;
