using MerchantConsole.Domain.Workflows;

namespace MerchantConsole.Workflows;

/// <summary>Retries, timeouts and the sweeper, for runs of every kind.</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

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
    /// <summary>
    /// The step's first <see cref="FaultRule.Times"/> attempts (counted on the run, so on every node) wait
    /// <see cref="FaultRule.PauseFor"/> before their work, holding their Hangfire job: a test kills the node meanwhile.
    /// Honoured only in the Testing environment.
    /// </summary>
    Pause,
}

/// <summary>
/// Makes <see cref="Step"/> of <see cref="Workflow"/> fail <see cref="Times"/> times per run. Test-only; no rule is
/// configured by default (<c>FaultInjection:Rules:N:Workflow</c>, <c>:Step</c>, <c>:Mode</c>, <c>:Times</c>, <c>:SubjectNameContains</c>).
/// </summary>
public sealed class FaultRule
{
    /// <summary>The workflow kind (e.g. "PlanActivation"); every kind when empty.</summary>
    public string? Workflow { get; set; }
    public string Step { get; set; } = "";
    public FaultMode Mode { get; set; }
    public int Times { get; set; } = 1;
    /// <summary>How long a <see cref="FaultMode.Pause"/> holds the attempt.</summary>
    public TimeSpan PauseFor { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Only runs whose subject's name contains this text (case-insensitive); every subject when empty.</summary>
    public string? SubjectNameContains { get; set; }
    /// <summary>The older name of <see cref="SubjectNameContains"/>, from when only plans had runs; still honoured.</summary>
    public string? PlanNameContains { get; set; }

    internal string? NameContains => string.IsNullOrEmpty(SubjectNameContains) ? PlanNameContains : SubjectNameContains;
}

public sealed class FaultInjectionOptions
{
    public const string Section = "FaultInjection";
    public List<FaultRule> Rules { get; set; } = [];
}
