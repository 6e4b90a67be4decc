namespace MerchantConsole.Domain.Common;

/// <summary>
/// The one home of exponential backoff, for activation steps and outbox messages alike: wait the base delay after
/// the first failure, then twice as long after each further one, never longer than the maximum.
/// </summary>
public sealed record Backoff
{
    public TimeSpan BaseDelay { get; }
    public TimeSpan MaxDelay { get; }

    public Backoff(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (baseDelay <= TimeSpan.Zero || maxDelay < baseDelay)
            throw new DomainException("RetryPolicy.DelayInvalid", "The retry delay must be positive and no longer than the maximum delay.");
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    /// <summary>Wait after the <paramref name="failedAttempts"/>-th failure: base, 2×base, 4×base… capped at the maximum.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        // Past 2^30 any sensible base delay is beyond any sensible maximum; the cap keeps the double finite.
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var ticks = Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
