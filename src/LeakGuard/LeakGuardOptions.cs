using LeakGuard.Hosting;
using Microsoft.Extensions.Options;

namespace LeakGuard;

/// <summary>
/// Settings for LeakGuard, bound from the configuration section <c>LeakGuard</c>
/// (for example the environment variable <c>LeakGuard__SampleInterval=00:00:01</c>).
/// </summary>
public sealed class LeakGuardOptions
{
    /// <summary>The configuration section LeakGuard binds by default.</summary>
    public const string SectionName = "LeakGuard";

    /// <summary>The default of <see cref="MaxGcSamplesPerSecond"/>.</summary>
    internal const int DefaultMaxGcSamplesPerSecond = 10;

    /// <summary>Gets or sets a value indicating whether LeakGuard monitors the process.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how often memory and resource counters are sampled.</summary>
    /// <value>The default value is 1 second.</value>
    [SettingRange("SampleInterval", "00:00:00.010", "00:10:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long after start the detector stays silent while caches and JIT warm up.</summary>
    /// <value>The default value is 5 minutes.</value>
    [SettingRange("WarmUp", "00:00:00", "1.00:00:00")]
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets an explicit memory limit in bytes; when unset the cgroup limit or the GC's available memory is used.</summary>
    /// <value>The default value is <see langword="null"/> (detect the limit).</value>
    [SettingRange("MemoryLimitBytes", "1048576", "9223372036854775807")]
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Gets or sets the memory-limit utilisation (0–1) at which a memory-pressure warning is logged.</summary>
    /// <value>The default value is 0.8 (80 % of the limit).</value>
    [SettingRange("MemoryPressureThreshold", "0.1", "1")]
    public double MemoryPressureThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets the collection rate up to which LeakGuard observes every garbage collection one by one
    /// (0 = always every collection). Observing a collection wakes the runtime's finalizer thread (~24 µs of CPU).
    /// When two collections come less than 1/<see cref="MaxGcSamplesPerSecond"/> s apart, LeakGuard stops observing
    /// them until its next sampling step; the collection after that step is observed with the runtime's last full
    /// blocking and background collection, so full collections are still seen. The skipped collections only miss
    /// from <see cref="ILeakMonitor.GetRecentGcSamples"/> and the pause histogram; memory samples, heap sizes and
    /// detection do not depend on them.</summary>
    /// <value>The default value is 10.</value>
    [SettingRange("MaxGcSamplesPerSecond", "0", "100000")]
    public int MaxGcSamplesPerSecond { get; set; } = DefaultMaxGcSamplesPerSecond;

    /// <summary>Gets the trend-detection settings (section <c>LeakGuard:Detection</c>).</summary>
    [ValidateObjectMembers]
    public DetectionOptions Detection { get; set; } = new();

    /// <summary>Gets the heap-snapshot settings (section <c>LeakGuard:Snapshots</c>).</summary>
    [ValidateObjectMembers]
    public SnapshotOptions Snapshots { get; set; } = new();

    /// <summary>Gets the report-file settings (section <c>LeakGuard:Reports</c>).</summary>
    [ValidateObjectMembers]
    public ReportOptions Reports { get; set; } = new();

    /// <summary>Gets or sets a directory where LeakGuard keeps a small state record to recognise restarts and OOM kills.</summary>
    /// <value>The default value is <see langword="null"/> (restart awareness off).</value>
    public string? StateDirectory { get; set; }

    /// <summary>Gets the graceful-recycle settings (section <c>LeakGuard:Recycle</c>).</summary>
    [ValidateObjectMembers]
    public RecycleOptions Recycle { get; set; } = new();

    /// <summary>Gets the expected-collection watch settings (section <c>LeakGuard:Retention</c>).</summary>
    [ValidateObjectMembers]
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>Gets the health-check settings (section <c>LeakGuard:Health</c>).</summary>
    [ValidateObjectMembers]
    public HealthOptions Health { get; set; } = new();
}
