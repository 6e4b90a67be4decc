using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Features.Plans.Activation;

public sealed class ActivationOptions
{
    public const string Section = "Activation";

    /// <summary>Attempts per step before the run is Stuck and waits for support.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Wait after the first failure; doubles with each further failure up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>
    /// A step running, or due without being started, for longer than this is re-driven by the sweeper (a running one
    /// counts as a timed-out attempt). Keep it above the longest honest step.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Cron of the recurring sweeper.</summary>
    public string SweepCron { get; set; } = "* * * * *";
    /// <summary>Runs the sweeper reads per query.</summary>
    public int SweepBatchSize { get; set; } = 100;

    public StepRetryPolicy RetryPolicy => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);
}

public enum FaultMode
{
    /// <summary>The step throws before doing its work.</summary>
    Throw,
    /// <summary>The step starts and never finishes, as if its worker died; only the sweeper's timeout ends the attempt.</summary>
    Hang,
}

/// <summary>Makes <see cref="Step"/> fail <see cref="Times"/> times per run. Test-only; no rule is configured by default.</summary>
public sealed class FaultRule
{
    public ActivationStepName Step { get; set; }
    public FaultMode Mode { get; set; }
    public int Times { get; set; } = 1;
    /// <summary>Only plans whose name contains this text (case-insensitive); every plan when empty.</summary>
    public string? PlanNameContains { get; set; }
}

public sealed class FaultInjectionOptions
{
    public const string Section = "FaultInjection";
    public List<FaultRule> Rules { get; set; } = [];
}
