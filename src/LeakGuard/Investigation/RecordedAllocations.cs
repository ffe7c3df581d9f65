namespace LeakGuard.Investigation;

/// <summary>
/// How the allocation stacks of a report were recorded (the sampled allocations between its two snapshots), or why
/// there are none.
/// </summary>
public sealed class RecordedAllocations
{
    /// <summary>
    /// Gets the runtime event sampled: <c>AllocationSampled</c> (.NET 10, unbiased random sampling, about one sample per
    /// 100 KB allocated) or <c>AllocationTick</c> (earlier runtimes, one event per about 100 KB allocated);
    /// <see langword="null"/> when nothing was recorded.
    /// </summary>
    public string? Event { get; init; }

    /// <summary>Gets the number of allocation samples counted.</summary>
    public long Samples { get; init; }

    /// <summary>Gets how long the recording ran, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>
    /// Gets how long its sessions were open, in seconds: less than <see cref="DurationSeconds"/> when the process allocated
    /// faster than the recording's sample budget (300 samples a second on average, about 30 MB/s), which then records in
    /// bursts. The samples come from this time; the estimated bytes are scaled from it to the whole recording.
    /// </summary>
    public double RecordedSeconds { get; init; }

    /// <summary>Gets a value indicating whether the recording stopped at its cap (100 000 samples) before the window ended.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>
    /// Gets a value indicating whether the stacks are ranked by the bytes that survived the window (each sampled object
    /// followed through the garbage collections) rather than by the bytes allocated.
    /// </summary>
    public bool RankedBySurvival { get; init; }

    /// <summary>Gets the number of blocking garbage collections the sampled objects were followed through.</summary>
    public int GarbageCollections { get; init; }

    /// <summary>
    /// Gets why the stacks are ranked by bytes allocated rather than surviving (for example no garbage collection ran in
    /// the window), or <see langword="null"/> when they are ranked by survival or none were recorded.
    /// </summary>
    public string? SurvivalMissing { get; init; }

    /// <summary>
    /// Gets why no allocation stacks are shown (for example the diagnostics IPC channel is disabled, or the recording
    /// lost events), or <see langword="null"/> when they were recorded.
    /// </summary>
    public string? Missing { get; init; }
}
