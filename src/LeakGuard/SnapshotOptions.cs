using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Heap-snapshot settings (configuration section <c>LeakGuard:Snapshots</c>).</summary>
public sealed class SnapshotOptions
{
    /// <summary>Gets or sets when snapshots are taken.</summary>
    /// <value>The default value is <see cref="SnapshotMode.OnSuspicion"/>.</value>
    public SnapshotMode Mode { get; set; } = SnapshotMode.OnSuspicion;

    /// <summary>Gets or sets the time between the two snapshots of an investigation.</summary>
    /// <value>The default value is 5 minutes.</value>
    [SettingRange("Snapshots:Delay", "00:00:00", "1.00:00:00")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the minimum time between two investigations (each snapshot pauses the application).</summary>
    /// <value>The default value is 1 hour.</value>
    [SettingRange("Snapshots:Cooldown", "00:00:00", "30.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the largest managed heap, in bytes, for which automatic snapshots are taken.</summary>
    /// <value>The default value is 2 GiB.</value>
    [SettingRange("Snapshots:MaxHeapBytes", "1048576", "9223372036854775807")]
    public long MaxHeapBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the longest pause an automatic snapshot may cause. The pause is the runtime's heap walk, estimated
    /// before the snapshot from the live objects (about 270 ms per million objects, measured); a snapshot estimated
    /// to pause longer is skipped with one log line. Suspected leaks are investigated only while the estimate is
    /// under a fifth of this budget; confirmed (Leaking) ones up to the budget.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    [SettingRange("Snapshots:MaxPause", "00:00:00.010", "00:10:00")]
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how much the managed heap must grow after the first snapshot for the second one to be taken
    /// before <see cref="Delay"/> has passed, or <see langword="null"/> to always wait the full delay.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [SettingRange("Snapshots:MinGrowthBytes", "0", "9223372036854775807")]
    public long? MinGrowthBytes { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an investigation records sampled allocations with their call stacks
    /// between its two snapshots, so its report says where the growing types were allocated. Costs CPU only while the
    /// window is open (see docs/performance.md#allocation-stacks).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RecordAllocations { get; set; } = true;
}
