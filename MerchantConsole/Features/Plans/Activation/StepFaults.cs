using System.Collections.Concurrent;
using MerchantConsole.Domain.Plans;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>Thrown by an injected <see cref="FaultMode.Throw"/> fault.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);

/// <summary>
/// Asked as an attempt at a step begins its work (DESIGN §2, fault injection). Production has none
/// (<see cref="NoStepFaults"/>); <see cref="ConfiguredStepFaults"/> is registered only when fault rules are configured.
/// </summary>
public interface IStepFaults
{
    /// <summary>Throws to fail the attempt; returns false to leave it hanging (Running), as if its worker died.</summary>
    bool Proceed(Guid runId, ActivationStepName step, string planName);
}

public sealed class NoStepFaults : IStepFaults
{
    public static NoStepFaults Instance { get; } = new();

    public bool Proceed(Guid runId, ActivationStepName step, string planName) => true;
}

/// <summary>
/// Fails attempts as the <see cref="FaultInjectionOptions"/> rules say. Counts are per run and per rule, in this
/// process, so a rule with <c>Times = 2</c> fails the first two attempts of each run it matches; changing the rules
/// starts the counts afresh for the changed rules.
/// </summary>
public sealed class ConfiguredStepFaults(IOptionsMonitor<FaultInjectionOptions> options, ILogger<ConfiguredStepFaults> logger) : IStepFaults
{
    private readonly ConcurrentDictionary<(Guid RunId, string Rule), int> _fired = new();

    public bool Proceed(Guid runId, ActivationStepName step, string planName)
    {
        switch (FaultFor(runId, step, planName))
        {
            case FaultMode.Hang:
                logger.LogWarning("Injected fault: step {Step} of run {RunId} hangs.", step, runId);
                return false;
            case FaultMode.Throw:
                throw new InjectedFaultException($"Injected fault: step {step} failed on purpose.");
            default:
                return true;
        }
    }

    private FaultMode? FaultFor(Guid runId, ActivationStepName step, string planName)
    {
        foreach (var rule in options.CurrentValue.Rules)
        {
            if (rule.Step != step || rule.Times <= 0)
                continue;
            if (!string.IsNullOrEmpty(rule.PlanNameContains) && !planName.Contains(rule.PlanNameContains, StringComparison.OrdinalIgnoreCase))
                continue;
            var key = (runId, $"{rule.Step}|{rule.Mode}|{rule.Times}|{rule.PlanNameContains}");
            var fired = _fired.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (fired <= rule.Times)
                return rule.Mode;
        }
        return null;
    }
}
