namespace MerchantConsole.Features.Setup;

/// <summary>Marker for this feature's resx pair (SetupStrings.resx / .zh-CN.resx).</summary>
public sealed class SetupStrings;
