using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Graceful-recycle settings (configuration section <c>LeakGuard:Recycle</c>): stop the host cleanly before an OOM kill.</summary>
public sealed class RecycleOptions
{
    /// <summary>Gets or sets a value indicating whether LeakGuard may stop the application before it runs out of memory: when a
    /// leaking memory signal may reach its limit within <see cref="TimeToLimitHorizon"/>, or memory stays near the limit.</summary>
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

    /// <summary>
    /// Gets or sets the projected time to the limit under which a leak recycles the application: a memory signal that is
    /// <see cref="LeakState.Leaking"/> and may reach its limit (the earliest end of its time-to-limit range) sooner than
    /// this stops the host now, while a graceful stop still has time to drain. Zero turns this rule off.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    [SettingRange("Recycle:TimeToLimitHorizon", "00:00:00", "1.00:00:00")]
    public TimeSpan TimeToLimitHorizon { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the process's exit code after a recycle (<see cref="Environment.ExitCode"/>, set before the host is
    /// stopped; an entry point that returns its own code overrides it). Non-zero, so a supervisor that restarts only failed
    /// processes (systemd <c>Restart=on-failure</c>) restarts a recycled one.
    /// </summary>
    /// <value>The default value is 75 (<c>EX_TEMPFAIL</c>: a temporary failure, to be retried).</value>
    [SettingRange("Recycle:ExitCode", "0", "255")]
    public int ExitCode { get; set; } = 75;

    /// <summary>Gets or sets how long after start the application is never recycled on utilisation alone (start-up spikes are
    /// not leaks; a <see cref="LeakState.Leaking"/> verdict within <see cref="TimeToLimitHorizon"/> has passed the warm-up already).</summary>
    /// <value>The default value is 10 minutes.</value>
    [SettingRange("Recycle:GracePeriod", "00:00:00", "1.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(10);
}
