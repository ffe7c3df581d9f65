namespace LeakGuard.Investigation;

/// <summary>One successful heap snapshot: the graph and how long it took.</summary>
/// <param name="Graph">The heap graph; release it (drop the reference) before the next snapshot.</param>
/// <param name="TakenAt">When the snapshot started.</param>
/// <param name="Duration">The wall time from starting the session to the built graph.</param>
/// <param name="Pause">How long the runtime was suspended for the heap-dump GC (from the GC's own events), or zero when unknown.</param>
/// <param name="BufferMegabytes">The session buffer the snapshot used.</param>
internal sealed record HeapSnapshot(HeapGraph Graph, DateTimeOffset TakenAt, TimeSpan Duration, TimeSpan Pause, int BufferMegabytes)
{
    /// <summary>Gets the most bytes the graph builder's arrays held at once.</summary>
    public long BuilderPeakBytes { get; init; }

    /// <summary>Gets the wall time until the heap-dump GC's last event was read.</summary>
    public TimeSpan ReadTime { get; init; }

    /// <summary>Gets the wall time spent stopping the session.</summary>
    public TimeSpan StopTime { get; init; }

    /// <summary>Gets the wall time spent turning the events into the graph.</summary>
    public TimeSpan BuildTime { get; init; }
}
