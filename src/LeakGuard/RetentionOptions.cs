using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>
/// Settings of the expected-collection watch, <see cref="ILeakMonitor.ExpectCollected"/> (configuration section
/// <c>LeakGuard:Retention</c>).
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Gets or sets how long a watched object may stay alive before it can count as retained.</summary>
    /// <value>The default value is 10 seconds.</value>
    [SettingRange("Retention:GracePeriod", "00:00:00", "1.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how many retained objects make the <c>retained_objects</c> signal leaking and start an
    /// investigation (a heap snapshot with the retained types' paths), as LeakCanary does.
    /// </summary>
    /// <value>The default value is 5.</value>
    [SettingRange("Retention:Threshold", "1", "1000000")]
    public int Threshold { get; set; } = 5;

    /// <summary>Gets or sets how many objects are watched at most; further registrations are dropped (and counted) until some die.</summary>
    /// <value>The default value is 4096.</value>
    [SettingRange("Retention:MaxWatchedObjects", "16", "1048576")]
    public int MaxWatchedObjects { get; set; } = 4096;
}
