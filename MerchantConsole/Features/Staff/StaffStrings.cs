namespace MerchantConsole.Features.Staff;

/// <summary>Marker for the staff and merchant pages' resx pair (StaffStrings.resx / .zh-CN.resx).</summary>
public sealed class StaffStrings;
