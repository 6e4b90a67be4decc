using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>How often an activation step is tried and how long to wait between tries (exponential backoff).</summary>
public sealed record StepRetryPolicy
{
    public static StepRetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));

    public int MaxAttempts { get; }
    public TimeSpan BaseDelay { get; }
    public TimeSpan MaxDelay { get; }

    public StepRetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (maxAttempts < 1)
            throw new DomainException("RetryPolicy.AttemptsInvalid", "A step is tried at least once.");
        if (baseDelay <= TimeSpan.Zero || maxDelay < baseDelay)
            throw new DomainException("RetryPolicy.DelayInvalid", "The retry delay must be positive and no longer than the maximum delay.");
        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    /// <summary>Wait after the <paramref name="failedAttempts"/>-th failure: base, 2×base, 4×base… capped at the maximum.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Max(0, failedAttempts - 1));
        var ticks = Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
