namespace LeakGuard;

/// <summary>
/// Settings for LeakGuard, bound from the configuration section <c>LeakGuard</c>
/// (for example the environment variable <c>LeakGuard__SampleInterval=00:00:01</c>).
/// </summary>
public sealed class LeakGuardOptions
{
    /// <summary>The configuration section LeakGuard binds by default.</summary>
    public const string SectionName = "LeakGuard";

    /// <summary>Gets or sets a value indicating whether LeakGuard monitors the process.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how often memory and resource counters are sampled.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long after start the detector stays silent while caches and JIT warm up.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets an explicit memory limit in bytes; when unset the cgroup limit or the GC's available memory is used.</summary>
    /// <value>The default value is <see langword="null"/> (detect the limit).</value>
    public long? MemoryLimitBytes { get; set; }

    /// <summary>Gets the trend-detection settings (section <c>LeakGuard:Detection</c>).</summary>
    public DetectionOptions Detection { get; set; } = new();

    /// <summary>Gets the heap-snapshot settings (section <c>LeakGuard:Snapshots</c>).</summary>
    public SnapshotOptions Snapshots { get; set; } = new();

    /// <summary>Gets the report-file settings (section <c>LeakGuard:Reports</c>).</summary>
    public ReportOptions Reports { get; set; } = new();

    /// <summary>Gets or sets a directory where LeakGuard keeps a small state record to recognise restarts and OOM kills.</summary>
    /// <value>The default value is <see langword="null"/> (restart awareness off).</value>
    public string? StateDirectory { get; set; }

    /// <summary>Gets the graceful-recycle settings (section <c>LeakGuard:Recycle</c>).</summary>
    public RecycleOptions Recycle { get; set; } = new();
}
