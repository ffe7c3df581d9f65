using LeakGuard;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry meter provider to LeakGuard's instruments.</summary>
public static class LeakGuardMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the <c>LeakGuard</c> meter. LeakGuard publishes only what the runtime does not: also add the runtime's
    /// own metrics (<c>AddRuntimeInstrumentation()</c> or the <c>System.Runtime</c> meter) for heap sizes, GC counts and allocation rates.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddLeakGuardInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(LeakGuardInstrumentation.MeterName);
    }
}
