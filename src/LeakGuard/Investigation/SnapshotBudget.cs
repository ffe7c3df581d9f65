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

    /// <summary>
    /// The memory a snapshot takes at its peak, per live object: the session's native buffer (drained while the builder
    /// fills), the builder's arrays (37 B) and the parser's garbage, overlapping in part. Measured as the process's peak
    /// resident set during the snapshot over the one before it: 50 B per object at 1 M and 3 M objects (median), 59.5 B at
    /// most in 22 runs (docs/performance.md#heap-snapshots); 64 B keeps a 7.5 % margin over the largest run and 28 %
    /// over the median (0.64 GB for 10 M objects, where issue 17 saw at most 0.6 GB). The headroom check multiplies it by the
    /// estimated live objects.
    /// </summary>
    public const double HeadroomBytesPerObject = 64;

    /// <summary>
    /// The average object size assumed for heaps never snapshotted: measured 88 B per object on a 10 M-object leaking
    /// heap (issue 17); 64 B errs towards more objects (a longer pause and more memory estimated), never towards an
    /// out-of-memory.
    /// </summary>
    public const double AssumedBytesPerObject = 64;

    /// <summary>
    /// The smaller average object size the session buffer is sized for before the first snapshot: a buffer too small
    /// fails the snapshot (and its retry pauses the application again), one too large costs nothing (EventPipe
    /// allocates it as it fills).
    /// </summary>
    public const double BufferAssumedBytesPerObject = 32;

    /// <summary>
    /// The application's pause per million live objects (the runtime's heap walk; docs/performance.md#heap-snapshots):
    /// measured 196-199 ms in quieter runs and 261-269 ms under a load average of 11-12, at 1 M and 3 M objects. The
    /// loaded figure, rounded up, is used: an estimate that errs short would let a snapshot pause longer than
    /// <c>Snapshots:MaxPause</c> on a busy host.
    /// </summary>
    public static readonly TimeSpan PausePerMillionObjects = TimeSpan.FromMilliseconds(270);

    /// <summary>Estimates the live objects.</summary>
    /// <param name="heapBytes">The heap size now (after the last GC).</param>
    /// <param name="lastObjectCount">The objects counted by the last snapshot, or 0.</param>
    /// <param name="lastHeapBytes">The heap size at the last snapshot, or 0.</param>
    /// <param name="assumedBytesPerObject">The average object size assumed without a measured one.</param>
    /// <returns>The estimate (at least 1).</returns>
    public static long EstimateObjects(long heapBytes, long lastObjectCount, long lastHeapBytes, double assumedBytesPerObject = AssumedBytesPerObject)
    {
        var fromSize = heapBytes / assumedBytesPerObject;
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

    /// <summary>Estimates the memory a snapshot needs at its peak (see <see cref="HeadroomBytesPerObject"/>).</summary>
    /// <param name="estimatedObjects">The estimated live objects.</param>
    /// <returns>The bytes.</returns>
    public static long CollectorBytes(long estimatedObjects) => (long)(estimatedObjects * HeadroomBytesPerObject);

    /// <summary>Estimates the application's pause for a snapshot of the given number of live objects.</summary>
    /// <param name="estimatedObjects">The estimated live objects.</param>
    /// <returns>The pause.</returns>
    public static TimeSpan Pause(long estimatedObjects) => PausePerMillionObjects * (estimatedObjects / 1e6);
}
