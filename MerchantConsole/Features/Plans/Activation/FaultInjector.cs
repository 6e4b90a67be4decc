using System.Collections.Concurrent;
using MerchantConsole.Domain.Plans;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Plans.Activation;

/// <summary>Thrown by an injected <see cref="FaultMode.Throw"/> fault.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);

/// <summary>
/// Decides whether an attempt at a step is to fail on purpose. Counts are per run and per rule, in this process,
/// so a rule with <c>Times = 2</c> fails the first two attempts of each run it matches; changing the rules starts
/// the counts afresh for the changed rules.
/// </summary>
public sealed class FaultInjector(IOptionsMonitor<FaultInjectionOptions> options)
{
    private readonly ConcurrentDictionary<(Guid RunId, string Rule), int> _fired = new();

    public FaultMode? FaultFor(Guid runId, ActivationStepName step, string planName)
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
