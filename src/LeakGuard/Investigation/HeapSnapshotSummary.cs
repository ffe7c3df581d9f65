namespace LeakGuard.Investigation;

/// <summary>A compact summary of one heap snapshot: live objects counted and sized per type.</summary>
public sealed class HeapSnapshotSummary
{
    /// <summary>Gets when the snapshot was taken.</summary>
    public DateTimeOffset TakenAt { get; init; }

    /// <summary>Gets how long taking the snapshot took (the application is paused for part of it).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets how long the application was paused for the snapshot's heap walk (zero when the runtime did not report it).</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>Gets the number of live objects in the snapshot.</summary>
    public long ObjectCount { get; init; }

    /// <summary>Gets the total shallow size of the live objects, in bytes.</summary>
    public long TotalBytes { get; init; }

    /// <summary>Gets the per-type counts and sizes, largest first.</summary>
    public IReadOnlyList<TypeStatistics> Types { get; init; } = [];
}
