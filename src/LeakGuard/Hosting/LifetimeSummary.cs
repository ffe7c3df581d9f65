namespace LeakGuard.Hosting;

/// <summary>
/// What one lifetime of the process leaves in <c>StateDirectory</c> (issue 21, item 4): when it ran, how it ended, how full
/// memory got, how its utilisation's floor climbed, each memory signal's rise and floor slope, and the leak signature of
/// its report. Written while it runs (so a killed process leaves one) and completed by the next start.
/// </summary>
internal sealed record LifetimeSummary
{
    /// <summary>Gets the process id.</summary>
    public int ProcessId { get; init; }

    /// <summary>Gets when the lifetime started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when it was last seen (its last write; at the next start, the restart record's last write when later).</summary>
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Gets how it ended (a <see cref="RestartReasons"/> value set by the next start), or <see langword="null"/> while it runs.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the highest utilisation of the binding limit seen, NaN when unknown.</summary>
    public double PeakUtilization { get; init; } = double.NaN;

    /// <summary>Gets the binding limit at the last write, in bytes, -1 when unknown.</summary>
    public long LimitBytes { get; init; } = -1;

    /// <summary>Gets which limit that was (a <see cref="LimitNames"/> value), or <see langword="null"/>.</summary>
    public string? Limit { get; init; }

    /// <summary>Gets the width of each segment of <see cref="UtilizationFloors"/>.</summary>
    public TimeSpan FloorWidth { get; init; }

    /// <summary>Gets the lowest utilisation of the binding limit in each segment of the lifetime, oldest first (NaN where none was read).</summary>
    public IReadOnlyList<double> UtilizationFloors { get; init; } = [];

    /// <summary>Gets the memory signals' summaries.</summary>
    public IReadOnlyList<LifetimeSignal> Signals { get; init; } = [];

    /// <summary>Gets the leak signature of the lifetime's latest automatic report's top growing type, or <see langword="null"/>.</summary>
    public string? LeakSignature { get; init; }

    /// <summary>Gets that type's name, or <see langword="null"/>.</summary>
    public string? LeakType { get; init; }

    /// <summary>Gets how long the lifetime lasted (to its last sighting).</summary>
    public TimeSpan Duration => LastSeenAt - StartedAt;

    /// <summary>Gets the growth of the binding limit's usage over the lifetime: from the floor of its first segment to its peak, in bytes (NaN when unknown).</summary>
    public double GrowthBytes =>
        UtilizationFloors.Count > 0 && double.IsFinite(UtilizationFloors[0]) && double.IsFinite(PeakUtilization) && LimitBytes > 0
            ? Math.Max(0, PeakUtilization - UtilizationFloors[0]) * LimitBytes
            : double.NaN;
}

/// <summary>One memory signal over one lifetime.</summary>
internal sealed record LifetimeSignal
{
    /// <summary>Gets the signal name.</summary>
    public required string Signal { get; init; }

    /// <summary>Gets its first reading of the lifetime.</summary>
    public double First { get; init; } = double.NaN;

    /// <summary>Gets its last reading.</summary>
    public double Last { get; init; } = double.NaN;

    /// <summary>Gets its highest reading.</summary>
    public double Peak { get; init; } = double.NaN;

    /// <summary>Gets its verdict's state at the last write, or <see langword="null"/> before an evaluation.</summary>
    public string? State { get; init; }

    /// <summary>Gets the verdict's floor slope (bytes per second), NaN before an evaluation.</summary>
    public double RatePerSecond { get; init; } = double.NaN;

    /// <summary>Gets the lower end of the slope's interval.</summary>
    public double RateLowerPerSecond { get; init; } = double.NaN;

    /// <summary>Gets the upper end of the slope's interval.</summary>
    public double RateUpperPerSecond { get; init; } = double.NaN;

    /// <summary>Gets the window that decided the verdict.</summary>
    public TimeSpan Horizon { get; init; }

    /// <summary>Gets the start of the hour of <see cref="HourlyFloors"/>' first entry.</summary>
    public DateTimeOffset HourlyFrom { get; init; }

    /// <summary>
    /// Gets the signal's lowest reading in each clock hour of the lifetime's last <see cref="LifetimeRecorder.HourlyCapacity"/> hours,
    /// consecutive from <see cref="HourlyFrom"/> (NaN for an hour without a reading): the coarse floors a restarted
    /// instance's daily-cycle evidence could be seeded with.
    /// </summary>
    public IReadOnlyList<double> HourlyFloors { get; init; } = [];

    /// <summary>Gets the rise from the first reading to the last.</summary>
    public double Growth => Last - First;
}
