using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Trend-detection settings (configuration section <c>LeakGuard:Detection</c>).</summary>
public sealed class DetectionOptions
{
    /// <summary>The longest <see cref="UrgencyHorizon"/> allowed (<c>c</c> format), shared with <c>leakguard analyze --urgency-horizon</c>.</summary>
    internal const string LongestUrgencyHorizon = "30.00:00:00";

    /// <summary>The default <see cref="UrgencyHorizon"/>, shared with the detector's settings and <c>leakguard analyze</c>.</summary>
    internal static readonly TimeSpan DefaultUrgencyHorizon = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets the shortest stretch of history the detector judges: nothing is judged before a signal has been watched
    /// this long after the warm-up, and the finest buckets are 1/64 of it (at least two samples). It also sets the longest
    /// warm-up allowed for, 36 windows: a rise younger than that is called Leaking by its history only once it has grown
    /// by more than the level it started from (a rise due to exhaust memory within <see cref="UrgencyHorizon"/> does not wait).
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    [SettingRange("Detection:Window", "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how readily growth is called a leak.</summary>
    /// <value>The default value is <see cref="DetectionSensitivity.Normal"/>.</value>
    public DetectionSensitivity Sensitivity { get; set; } = DetectionSensitivity.Normal;

    /// <summary>Gets or sets the minimum growth, in bytes, a memory signal's rise must show since its onset before it can be suspected (the smaller of this and <see cref="MinGrowthPercent"/> applies).</summary>
    /// <value>The default value is 8 MiB (8,388,608 bytes).</value>
    [SettingRange("Detection:MinGrowthBytes", "0", "9223372036854775807")]
    public long MinGrowthBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Gets or sets the minimum growth, in percent of the signal's level, a rise must show since its onset before it can be suspected.</summary>
    /// <value>The default value is 5 (%).</value>
    [SettingRange("Detection:MinGrowthPercent", "0", "1000")]
    public double MinGrowthPercent { get; set; } = 5;

    /// <summary>
    /// Gets or sets how soon a rising signal must be projected to reach its limit (the earliest end of the projection's
    /// interval) to be called <see cref="LeakState.Leaking"/> before its history can prove the growth unbounded: growth that
    /// exhausts memory within hours does not wait for a day of history. A rise is projected no further ahead than four times
    /// as long as it has been seen rising. <see cref="TimeSpan.Zero"/> turns urgency off.
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    [SettingRange("Detection:UrgencyHorizon", "00:00:00", LongestUrgencyHorizon)]
    public TimeSpan UrgencyHorizon { get; set; } = DefaultUrgencyHorizon;
}
