namespace LeakGuard.Investigation;

/// <summary>One successful heap snapshot: the graph and how long it took.</summary>
/// <param name="Graph">The heap graph; release it (drop the reference) before the next snapshot.</param>
/// <param name="TakenAt">When the snapshot started.</param>
/// <param name="Duration">The wall time from starting the session to the built graph.</param>
/// <param name="Pause">How long the runtime was suspended for the heap-dump GC (from the GC's own events), or zero when unknown.</param>
/// <param name="BufferMegabytes">The session buffer the snapshot used.</param>
internal sealed record HeapSnapshot(HeapGraph Graph, DateTimeOffset TakenAt, TimeSpan Duration, TimeSpan Pause, int BufferMegabytes);
