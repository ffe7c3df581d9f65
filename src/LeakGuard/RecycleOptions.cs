using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Graceful-recycle settings (configuration section <c>LeakGuard:Recycle</c>): stop the host cleanly before an OOM kill.</summary>
public sealed class RecycleOptions
{
    /// <summary>Gets or sets a value indicating whether LeakGuard may stop the application when memory stays near the limit.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the limit utilisation (0–1) above which the recycle clock runs.</summary>
    /// <value>The default value is 0.9.</value>
    [SettingRange("Recycle:UtilizationThreshold", "0.1", "1")]
    public double UtilizationThreshold { get; set; } = 0.9;

    /// <summary>Gets or sets how long utilisation must stay above the threshold before the application is stopped.</summary>
    /// <value>The default value is 5 minutes.</value>
    [SettingRange("Recycle:For", "00:00:00", "1.00:00:00")]
    public TimeSpan For { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long after start the application is never recycled, however high utilisation is (start-up spikes are not leaks).</summary>
    /// <value>The default value is 10 minutes.</value>
    [SettingRange("Recycle:GracePeriod", "00:00:00", "1.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(10);
}
