namespace MerchantConsole.Features.CardTemplates;

/// <summary>Marker for this feature's resx pair (CardTemplateStrings.resx / .zh-CN.resx).</summary>
public sealed class CardTemplateStrings;
