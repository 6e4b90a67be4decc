namespace MerchantConsole.Localization;

/// <summary>Marker for the shared strings in SharedResource.resx (English) and SharedResource.zh-CN.resx.</summary>
public sealed class SharedResource;
