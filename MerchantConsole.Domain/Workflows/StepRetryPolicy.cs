using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Workflows;

/// <summary>How often a workflow step is tried and how long to wait between tries (<see cref="Common.Backoff"/>).</summary>
public sealed record StepRetryPolicy
{
    public static StepRetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));

    public int MaxAttempts { get; }
    public Backoff Backoff { get; }

    public StepRetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (maxAttempts < 1)
            throw new DomainException("RetryPolicy.AttemptsInvalid", "A step is tried at least once.");
        MaxAttempts = maxAttempts;
        Backoff = new Backoff(baseDelay, maxDelay);
    }

    /// <inheritdoc cref="Common.Backoff.DelayAfter"/>
    public TimeSpan DelayAfter(int failedAttempts) => Backoff.DelayAfter(failedAttempts);
}
