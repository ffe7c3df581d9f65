using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Health-check settings (configuration section <c>LeakGuard:Health</c>), used by <c>IHealthChecksBuilder.AddLeakGuard()</c>.</summary>
public sealed class HealthOptions
{
    /// <summary>Gets or sets the projected time to the memory limit under which a growing signal makes the check unhealthy.</summary>
    /// <value>The default value is 30 minutes.</value>
    [SettingRange("Health:TimeToLimitHorizon", "00:00:00", "30.00:00:00")]
    public TimeSpan TimeToLimitHorizon { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets the memory-limit utilisation (0–1) above which the check is unhealthy.</summary>
    /// <value>The default value is 0.9 (90 % of the limit).</value>
    [SettingRange("Health:UtilizationThreshold", "0.1", "1")]
    public double UtilizationThreshold { get; set; } = 0.9;
}
