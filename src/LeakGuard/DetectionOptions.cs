using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Trend-detection settings (configuration section <c>LeakGuard:Detection</c>).</summary>
public sealed class DetectionOptions
{
    /// <summary>Gets or sets the shortest analysis window; longer horizons are derived from it.</summary>
    /// <value>The default value is 10 minutes.</value>
    [SettingRange("Detection:Window", "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how readily growth is called a leak.</summary>
    /// <value>The default value is <see cref="DetectionSensitivity.Normal"/>.</value>
    public DetectionSensitivity Sensitivity { get; set; } = DetectionSensitivity.Normal;

    /// <summary>Gets or sets the minimum growth, in bytes, a memory signal must show within a window before it can be suspected.</summary>
    /// <value>The default value is 8 MiB (8,388,608 bytes).</value>
    [SettingRange("Detection:MinGrowthBytes", "0", "9223372036854775807")]
    public long MinGrowthBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Gets or sets the minimum growth, in percent of the signal's level, within a window before it can be suspected.</summary>
    /// <value>The default value is 5 (%).</value>
    [SettingRange("Detection:MinGrowthPercent", "0", "1000")]
    public double MinGrowthPercent { get; set; } = 5;
}
