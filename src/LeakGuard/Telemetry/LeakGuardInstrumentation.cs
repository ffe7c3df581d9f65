namespace LeakGuard;

/// <summary>Names to subscribe to LeakGuard's telemetry.</summary>
public static class LeakGuardInstrumentation
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> that publishes LeakGuard's instruments.</summary>
    public const string MeterName = "LeakGuard";
}
