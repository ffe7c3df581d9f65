using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeakGuard.Hosting;

/// <summary>Reports the monitor's judgement as a health check (see <see cref="HealthEvaluator"/>).</summary>
/// <param name="monitor">The monitor.</param>
internal sealed class LeakGuardHealthCheck(LeakMonitor monitor) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthEvaluator.Evaluate(monitor.Readings.Verdicts, monitor.Readings.Utilization, monitor.Options.Health, monitor.Readings.LimitName));
}
