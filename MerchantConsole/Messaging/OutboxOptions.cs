namespace MerchantConsole.Messaging;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";
    public int BatchSize { get; set; } = 50;
    /// <summary>How long a claimed row stays with its worker before another may take it over.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>First retry delay; each further attempt doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Cron of the recurring catch-up run; the after-commit trigger does the fast path.</summary>
    public string CatchUpCron { get; set; } = "* * * * *";
}
