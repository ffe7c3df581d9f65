namespace LeakGuard.AspNetCore.Json;

/// <summary>The body of <c>GET {prefix}/api/status</c>.</summary>
internal sealed class StatusResponse
{
    /// <summary>Gets the server's current time.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>Gets a value indicating whether the monitor is sampling.</summary>
    public bool Running { get; init; }

    /// <summary>Gets a value indicating whether an investigation or snapshot is running.</summary>
    public bool Investigating { get; init; }

    /// <summary>Gets the process's memory limit (configured, the container's, or the GC's available memory), or <see langword="null"/>.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Gets the limit that ends the process first (the GC's heap limit when it is nearer), or <see langword="null"/>.</summary>
    public long? BindingLimitBytes { get; init; }

    /// <summary>Gets which limit <see cref="BindingLimitBytes"/> is (<c>container</c>, <c>gc_heap_limit</c>, <c>configured</c>, <c>gc_available_memory</c>), or <see langword="null"/>.</summary>
    public string? BindingLimit { get; init; }

    /// <summary>Gets which usage counts against it (<c>cgroup_working_set</c>, <c>rss</c>, <c>cgroup_usage</c>, <c>gc_heap</c>), or <see langword="null"/>.</summary>
    public string? Usage { get; init; }

    /// <summary>Gets the share of <see cref="BindingLimitBytes"/> in use, or <see langword="null"/>.</summary>
    public double? Utilization { get; init; }

    /// <summary>Gets when the snapshot cooldown ends, or <see langword="null"/>.</summary>
    public DateTimeOffset? SnapshotCooldownEndsAt { get; init; }

    /// <summary>Gets the snapshot mode.</summary>
    public SnapshotMode SnapshotMode { get; init; }

    /// <summary>Gets why heap snapshots (and "Investigate now") are unavailable, or <see langword="null"/> when they work.</summary>
    public string? SnapshotsUnavailable { get; init; }

    /// <summary>Gets the sample interval in seconds.</summary>
    public double SampleIntervalSeconds { get; init; }

    /// <summary>Gets the warm-up in seconds.</summary>
    public double WarmUpSeconds { get; init; }

    /// <summary>Gets the page's refresh interval in seconds.</summary>
    public double RefreshIntervalSeconds { get; init; }

    /// <summary>Gets the verdicts, most alarming first.</summary>
    public required IReadOnlyList<VerdictDto> Verdicts { get; init; }

    /// <summary>Gets a summary of the latest report, or <see langword="null"/>.</summary>
    public ReportSummaryDto? LatestReport { get; init; }
}
