namespace MerchantConsole.Features.Members;

/// <summary>Marker for the member pages' resx pair (MemberStrings.resx / .zh-CN.resx).</summary>
public sealed class MemberStrings;
