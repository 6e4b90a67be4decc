using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Workflows;

/// <summary>Thrown by an injected <see cref="FaultMode.Throw"/> fault.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);

/// <summary>
/// Asked as an attempt at a step begins its work (DESIGN §2, fault injection). Production has none
/// (<see cref="NoStepFaults"/>); <see cref="ConfiguredStepFaults"/> is registered only when fault rules are configured.
/// </summary>
public interface IStepFaults
{
    /// <summary>Throws to fail the attempt; returns false to leave it hanging (Running), as if its worker died.</summary>
    bool Proceed(Guid runId, string workflow, string step, string subjectName);

    /// <summary>How long attempt number <paramref name="attempt"/> waits before its work (a test kills its node meanwhile); none by default.</summary>
    TimeSpan PauseBefore(Guid runId, string workflow, string step, string subjectName, int attempt) => TimeSpan.Zero;
}

public sealed class NoStepFaults : IStepFaults
{
    public static NoStepFaults Instance { get; } = new();

    public bool Proceed(Guid runId, string workflow, string step, string subjectName) => true;
}

/// <summary>
/// Fails attempts as the <see cref="FaultInjectionOptions"/> rules say. Counts are per run and per rule, in this
/// process, so a rule with <c>Times = 2</c> fails the first two attempts of each run it matches; changing the rules
/// starts the counts afresh for the changed rules.
/// </summary>
public sealed class ConfiguredStepFaults(IOptionsMonitor<FaultInjectionOptions> options, ILogger<ConfiguredStepFaults> logger,
    IHostEnvironment? environment = null) : IStepFaults
{
    private readonly ConcurrentDictionary<(Guid RunId, string Rule), int> _fired = new();

    public TimeSpan PauseBefore(Guid runId, string workflow, string step, string subjectName, int attempt)
    {
        if (environment?.IsEnvironment("Testing") != true)
            return TimeSpan.Zero;
        var rule = options.CurrentValue.Rules.FirstOrDefault(r => r.Mode == FaultMode.Pause && attempt <= r.Times && Matches(r, workflow, step, subjectName));
        if (rule is null)
            return TimeSpan.Zero;
        logger.LogWarning("Injected pause: attempt {Attempt} at step {Step} of {Workflow} run {RunId} waits {PauseFor}.", attempt, step, workflow, runId, rule.PauseFor);
        return rule.PauseFor;
    }

    public bool Proceed(Guid runId, string workflow, string step, string subjectName)
    {
        switch (FaultFor(runId, workflow, step, subjectName))
        {
            case FaultMode.Hang:
                logger.LogWarning("Injected fault: step {Step} of {Workflow} run {RunId} hangs.", step, workflow, runId);
                return false;
            case FaultMode.Throw:
                throw new InjectedFaultException($"Injected fault: step {step} failed on purpose.");
            default:
                return true;
        }
    }

    private FaultMode? FaultFor(Guid runId, string workflow, string step, string subjectName)
    {
        foreach (var rule in options.CurrentValue.Rules)
        {
            if (rule.Mode == FaultMode.Pause || rule.Times <= 0 || !Matches(rule, workflow, step, subjectName))
                continue;
            var key = (runId, $"{rule.Workflow}|{rule.Step}|{rule.Mode}|{rule.Times}|{rule.NameContains}");
            var fired = _fired.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (fired <= rule.Times)
                return rule.Mode;
        }
        return null;
    }

    private static bool Matches(FaultRule rule, string workflow, string step, string subjectName) =>
        string.Equals(rule.Step, step, StringComparison.Ordinal)
        && (string.IsNullOrEmpty(rule.Workflow) || string.Equals(rule.Workflow, workflow, StringComparison.Ordinal))
        && (rule.NameContains is not { Length: > 0 } part || subjectName.Contains(part, StringComparison.OrdinalIgnoreCase));
}
