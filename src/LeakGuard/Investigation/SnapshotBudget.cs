namespace LeakGuard.Investigation;

/// <summary>
/// Sizes a snapshot before taking it: how many objects the heap holds, how big the session buffer must be
/// and how much memory the snapshot will need, from the GC's own figures (no heap walk).
/// </summary>
internal static class SnapshotBudget
{
    /// <summary>Bytes of event stream per live object, measured (0.7 M objects → ~30 MB; DESIGN §2).</summary>
    public const double StreamBytesPerObject = 42;

    /// <summary>Safety factor on the stream size: the whole dump must fit the buffer (the reader is paused with the process).</summary>
    public const double BufferFactor = 1.2;

    /// <summary>The collector's managed bytes per live object at its peak (measured, docs/performance.md#heap-snapshots).</summary>
    public const double CollectorBytesPerObject = 48;

    /// <summary>A conservative average object size for heaps never snapshotted (real heaps average more, so this overestimates).</summary>
    public const double AssumedBytesPerObject = 32;

    /// <summary>Estimates the live objects.</summary>
    /// <param name="heapBytes">The heap size now (after the last GC).</param>
    /// <param name="lastObjectCount">The objects counted by the last snapshot, or 0.</param>
    /// <param name="lastHeapBytes">The heap size at the last snapshot, or 0.</param>
    /// <returns>The estimate (at least 1).</returns>
    public static long EstimateObjects(long heapBytes, long lastObjectCount, long lastHeapBytes)
    {
        var fromSize = heapBytes / AssumedBytesPerObject;
        if (lastObjectCount > 0 && lastHeapBytes > 0)
        {
            // A measured density beats the assumption, but never trust it below half the assumed one.
            var scaled = lastObjectCount * ((double)heapBytes / lastHeapBytes);
            return (long)Math.Max(1, Math.Max(scaled, fromSize / 2));
        }

        return (long)Math.Max(1, fromSize);
    }

    /// <summary>Sizes the session buffer.</summary>
    /// <param name="estimatedObjects">The estimated live objects.</param>
    /// <returns>The buffer size in megabytes (16 MB to 16 GB).</returns>
    public static int BufferMegabytes(long estimatedObjects)
    {
        var megabytes = Math.Ceiling(BufferFactor * StreamBytesPerObject * estimatedObjects / (1024 * 1024)) + 8;
        return (int)Math.Clamp(megabytes, 16, 16 * 1024);
    }

    /// <summary>Estimates the memory a snapshot needs: the session buffer (native) plus the collector's managed arrays.</summary>
    /// <param name="estimatedObjects">The estimated live objects.</param>
    /// <returns>The bytes.</returns>
    public static long CollectorBytes(long estimatedObjects) =>
        (long)(estimatedObjects * (CollectorBytesPerObject + (BufferFactor * StreamBytesPerObject)));
}
