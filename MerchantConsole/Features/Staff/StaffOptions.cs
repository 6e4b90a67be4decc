namespace MerchantConsole.Features.Staff;

public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>How long a set-password link (an invitation or a merchant's first admin) stays usable.</summary>
    public TimeSpan SetPasswordLinkLifetime { get; set; } = TimeSpan.FromHours(72);
}
