namespace LeakGuard.Sources;

/// <summary>
/// One garbage collection as the runtime reports it (<c>GC.GetGCMemoryInfo</c> after an observed collection, or its GC
/// events): when it ran, what kind it was, how long the application was paused and how large the heap was afterwards.
/// At high collection rates LeakGuard observes a subset (<see cref="LeakGuardOptions.MaxGcSamplesPerSecond"/>).
/// </summary>
/// <remarks>Sizes are in bytes; a value of -1 means the runtime did not report it for this collection.</remarks>
public readonly struct GcSample
{
    /// <summary>Gets the time the collection ended (as observed by the source, shortly after the end).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the runtime's collection index (<c>GC.CollectionCount</c>-style, increasing).</summary>
    public long Index { get; init; }

    /// <summary>Gets the condemned generation (0, 1 or 2).</summary>
    public int Generation { get; init; }

    /// <summary>Gets the runtime's reason code for the collection (0 = small allocation, 1 = induced, …), or -1 when the source does not report it (the default source does not).</summary>
    public int Reason { get; init; }

    /// <summary>Gets the runtime's collection type (0 = non-concurrent, 1 = background, 2 = foreground during background).</summary>
    public int Type { get; init; }

    /// <summary>Gets how long managed threads were suspended (SuspendEE begin to RestartEE end), or <see cref="TimeSpan.Zero"/> when unknown.</summary>
    public TimeSpan PauseDuration { get; init; }

    /// <summary>Gets the total heap size after the collection (generations 0–2, LOH and POH).</summary>
    public long HeapSizeAfterBytes { get; init; }

    /// <summary>Gets the size of generation 0 after the collection.</summary>
    public long Gen0SizeBytes { get; init; }

    /// <summary>Gets the size of generation 1 after the collection.</summary>
    public long Gen1SizeBytes { get; init; }

    /// <summary>Gets the size of generation 2 after the collection.</summary>
    public long Gen2SizeBytes { get; init; }

    /// <summary>Gets the size of the large-object heap after the collection.</summary>
    public long LohSizeBytes { get; init; }

    /// <summary>Gets the size of the pinned-object heap after the collection.</summary>
    public long PohSizeBytes { get; init; }

    /// <summary>Gets the bytes promoted (survived) by the collection.</summary>
    public long PromotedBytes { get; init; }

    /// <summary>Gets the number of objects promoted because they are ready for finalization.</summary>
    public long FinalizationPromotedCount { get; init; }

    /// <summary>Gets the number of pinned objects seen by the collection.</summary>
    public long PinnedObjectCount { get; init; }

    /// <summary>Gets the number of GC handles in use.</summary>
    public long GcHandleCount { get; init; }
}
