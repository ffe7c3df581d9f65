using LeakGuard;
using LeakGuard.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds LeakGuard's health check.</summary>
public static class LeakGuardHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that is Degraded while a leak is suspected and Unhealthy when memory use is over
    /// <c>LeakGuard:Health:UtilizationThreshold</c> or a growing signal will reach the limit within
    /// <c>LeakGuard:Health:TimeToLimitHorizon</c>. Adds LeakGuard itself when it is not registered yet.
    /// </summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by, for example <c>live</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddLeakGuard(this IHealthChecksBuilder builder, string name = "leakguard", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!builder.Services.Any(static d => d.ServiceType == typeof(LeakMonitor)))
        {
            builder.Services.AddLeakGuard();
        }

        return builder.AddCheck<LeakGuardHealthCheck>(name, failureStatus: null, tags ?? []);
    }
}
