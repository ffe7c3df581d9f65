using System.Globalization;
using LeakGuard.Formatting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeakGuard.Hosting;

/// <summary>Turns verdicts and utilisation into a health result whose description names the signal and why. Pure.</summary>
internal static class HealthEvaluator
{
    /// <summary>Evaluates health.</summary>
    /// <param name="verdicts">The current verdicts.</param>
    /// <param name="utilization">The share of the memory limit in use, NaN when unknown.</param>
    /// <param name="options">The thresholds.</param>
    /// <param name="limitName">Which limit the utilisation is of (a <see cref="LimitNames"/> value: the one that ends the process first), or <see langword="null"/>.</param>
    /// <returns>Unhealthy when utilisation is over the threshold or a growing signal will reach the limit within the horizon; Degraded while a leak is suspected; else Healthy.</returns>
    public static HealthCheckResult Evaluate(IReadOnlyDictionary<string, LeakVerdict> verdicts, double utilization, HealthOptions options, string? limitName = null)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(options);
        if (utilization > options.UtilizationThreshold)
        {
            return HealthCheckResult.Unhealthy(string.Create(
                CultureInfo.InvariantCulture,
                $"The process uses {utilization:P1} of its {(limitName is null ? "memory limit" : LimitNames.Describe(limitName))} (threshold {options.UtilizationThreshold:P0})."));
        }

        LeakVerdict? soonest = null;
        LeakVerdict? suspected = null;
        foreach (var verdict in verdicts.Values)
        {
            if (verdict.State < LeakState.Suspected)
            {
                continue;
            }

            if (suspected is null || verdict.State > suspected.State)
            {
                suspected = verdict;
            }

            if (verdict.TimeToLimit is { } ttl && ttl < options.TimeToLimitHorizon && (soonest is null || ttl < soonest.TimeToLimit))
            {
                soonest = verdict;
            }
        }

        if (soonest is not null)
        {
            return HealthCheckResult.Unhealthy(string.Create(
                CultureInfo.InvariantCulture,
                $"{soonest.Signal} grows {Readable.Rate(soonest.GrowthRatePerSecond, LeakSignals.IsMemorySignal(soonest.Signal))} and is projected to reach the {(soonest.Limit is { } limit ? LimitNames.Describe(limit) : "memory limit")} in {Readable.Duration(soonest.TimeToLimit!.Value)} (horizon {Readable.Duration(options.TimeToLimitHorizon)})."));
        }

        if (suspected is not null)
        {
            var what = suspected.State == LeakState.Leaking ? "is leaking" : "is suspected of leaking";
            return HealthCheckResult.Degraded(string.Create(
                CultureInfo.InvariantCulture,
                $"{suspected.Signal} {what}: it grows {Readable.Rate(suspected.GrowthRatePerSecond, LeakSignals.GrowsInBytes(suspected.Signal))}. {suspected.Reason}").TrimEnd());
        }

        return HealthCheckResult.Healthy("No leak is suspected.");
    }
}
