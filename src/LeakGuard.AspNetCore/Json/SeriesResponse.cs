namespace LeakGuard.AspNetCore.Json;

/// <summary>The body of <c>GET {prefix}/api/series?signal=…&amp;horizon=…</c>.</summary>
internal sealed class SeriesResponse
{
    /// <summary>Gets the signal.</summary>
    public required string Signal { get; init; }

    /// <summary>Gets the unit: <c>By</c> or <c>1</c>.</summary>
    public required string Unit { get; init; }

    /// <summary>Gets the horizon in seconds.</summary>
    public double HorizonSeconds { get; init; }

    /// <summary>Gets the width of one point in seconds (the sample interval for raw samples).</summary>
    public double ResolutionSeconds { get; init; }

    /// <summary>Gets where the points come from: <c>buckets</c> (downsampled floors) or <c>samples</c> (raw readings).</summary>
    public required string Source { get; init; }

    /// <summary>Gets the start of the horizon.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the horizon (now).</summary>
    public DateTimeOffset To { get; init; }

    /// <summary>Gets the effective memory limit, or <see langword="null"/>.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Gets the points, oldest first.</summary>
    public required IReadOnlyList<SeriesPointDto> Points { get; init; }

    /// <summary>Gets the events inside the horizon, oldest first: when the signal became Suspected or Leaking, and the heap snapshots.</summary>
    public IReadOnlyList<SeriesMarkerDto> Markers { get; init; } = [];

    /// <summary>Gets the projected trend when the signal grows, or <see langword="null"/>.</summary>
    public TrendDto? Trend { get; init; }
}
