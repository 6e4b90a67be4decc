namespace MerchantConsole.Features.Storefront;

/// <summary>Marker for this feature's resx pair (StorefrontStrings.resx / .zh-CN.resx).</summary>
public sealed class StorefrontStrings;
