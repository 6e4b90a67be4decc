namespace MerchantConsole.Features.Storefront;

/// <summary>Settings of the storefront API (section <c>Storefront</c>). See ARCHITECTURE.md, Storefront API.</summary>
public sealed class StorefrontOptions
{
    public const string Section = "Storefront";

    /// <summary>How long a sign-in code may be used after it was sent.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Wrong guesses allowed on one code; then it is void and a new one must be asked for.</summary>
    public int MaxCodeAttempts { get; set; } = 5;
    /// <summary>Codes one phone may be sent per <see cref="CodeWindow"/>, per merchant.</summary>
    public int CodesPerPhone { get; set; } = 3;
    /// <summary>Code requests one IP address may make per <see cref="CodeWindow"/>, per merchant.</summary>
    public int CodesPerIp { get; set; } = 20;
    public TimeSpan CodeWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Requests one customer (by token), or one anonymous IP address, may make per minute.</summary>
    public int RequestsPerMinute { get; set; } = 120;
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Messages the sandbox SMS sender keeps for the support page.</summary>
    public int SandboxMessagesKept { get; set; } = 200;
}
