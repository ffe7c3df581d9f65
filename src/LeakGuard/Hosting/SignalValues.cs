using LeakGuard.Sources;

namespace LeakGuard.Hosting;

/// <summary>Turns a memory sample into the built-in signals' values (DESIGN §4). Pure.</summary>
internal static class SignalValues
{
    /// <summary>The largest number of readings <see cref="Compute"/> writes.</summary>
    public const int MaxReadings = 12;

    /// <summary>Computes the built-in signals' values; unavailable counters (-1) produce no reading.</summary>
    /// <param name="current">The sample.</param>
    /// <param name="previous">The sample before it, for rates; <see langword="null"/> for the first.</param>
    /// <param name="retainedObjects">The number of objects that outlived their expected collection, or -1 when none are watched.</param>
    /// <param name="destination">Receives the readings; at least <see cref="MaxReadings"/> long.</param>
    /// <returns>The number of readings written.</returns>
    public static int Compute(in MemorySample current, MemorySample? previous, long retainedObjects, Span<SignalReading> destination)
    {
        var n = 0;

        // GCMemoryInfo's figures are measured right after the last collection, so bucket minima of them are the post-GC floor.
        Add(destination, ref n, LeakSignals.ManagedHeap, ManagedHeapBytes(current));
        Add(destination, ref n, LeakSignals.Gen2, Gen2Bytes(current));
        Add(destination, ref n, LeakSignals.Loh, LohBytes(current));
        Add(destination, ref n, LeakSignals.ProcessMemory, current.ResidentSetBytes);
        var native = NativeBytes(current);
        Add(destination, ref n, LeakSignals.NativeMemory, native);
        Add(destination, ref n, LeakSignals.Threads, current.ThreadCount);
        Add(destination, ref n, LeakSignals.Timers, current.TimerCount);
        Add(destination, ref n, LeakSignals.GcHandles, current.GcHandleCount);
        Add(destination, ref n, LeakSignals.FinalizationQueue, current.FinalizationPendingCount);
        Add(destination, ref n, LeakSignals.LoadedAssemblies, current.LoadedAssemblyCount);
        if (previous is { } before && GcPauseShare(before, current) is { } share)
        {
            destination[n++] = new SignalReading(LeakSignals.GcPressure, share);
        }

        Add(destination, ref n, LeakSignals.RetainedObjects, retainedObjects);
        return n;
    }

    /// <summary>
    /// Returns the managed heap's bytes after the last collection without the GC's free space inside it, or -1 when unknown.
    /// A background collection sweeps garbage into free space that the heap's size still counts until a compacting one
    /// or new allocations take it: judged by size, a collection that frees large arrays reads as a step up of the
    /// large-object heap (the leak zoo's blocked-threads run: 0.5 -> 4.3 MB when LeakGuard's own investigation's arrays
    /// died). The free space is reused, so it is not the application's growth.
    /// </summary>
    /// <param name="sample">The sample.</param>
    /// <returns>The bytes.</returns>
    public static long ManagedHeapBytes(in MemorySample sample) => WithoutFreeSpace(sample.ManagedHeapBytes, sample.FragmentedBytes);

    /// <summary>Returns generation 2's bytes without its free space (see <see cref="ManagedHeapBytes"/>), or -1 when unknown.</summary>
    /// <param name="sample">The sample.</param>
    /// <returns>The bytes.</returns>
    public static long Gen2Bytes(in MemorySample sample) => WithoutFreeSpace(sample.Gen2SizeBytes, sample.Gen2FragmentedBytes);

    /// <summary>Returns the large- and pinned-object heaps' bytes without their free space, or -1 when unknown.</summary>
    /// <param name="sample">The sample.</param>
    /// <returns>The bytes.</returns>
    public static long LohBytes(in MemorySample sample) => WithoutFreeSpace(sample.LohSizeBytes, sample.LohFragmentedBytes);

    private static long WithoutFreeSpace(long size, long free) => size < 0 ? -1 : Math.Max(0, size - Math.Max(0, free));

    /// <summary>
    /// Returns the resident bytes the GC does not account for, or -1 when unknown: RSS − GC committed − bytes
    /// allocated since that committed figure was measured. GCMemoryInfo's committed bytes are frozen at the last
    /// collection while new gen0 and LOH regions are committed and touched until the next one; without the
    /// correction a pure managed leak or an LOH sawtooth showed up as a native leak (measured in the leak zoo).
    /// The correction over-subtracts between collections, which the bucket floors turn into a constant offset.
    /// </summary>
    /// <param name="sample">The sample.</param>
    /// <returns>The native bytes, never negative when known (committed pages need not all be resident).</returns>
    public static long NativeBytes(in MemorySample sample) =>
        sample.ResidentSetBytes >= 0 && sample.CommittedBytes >= 0
            ? Math.Max(0, sample.ResidentSetBytes - sample.CommittedBytes - Math.Max(0, sample.AllocatedSinceGcBytes))
            : -1;

    /// <summary>Returns the share of wall time spent paused for GC between two samples (0–1), or <see langword="null"/> when it cannot be told.</summary>
    /// <param name="before">The earlier sample.</param>
    /// <param name="after">The later sample.</param>
    /// <returns>The share.</returns>
    public static double? GcPauseShare(in MemorySample before, in MemorySample after)
    {
        var elapsed = after.Timestamp - before.Timestamp;
        var paused = after.TotalPauseDuration - before.TotalPauseDuration;
        if (elapsed <= TimeSpan.Zero || paused < TimeSpan.Zero)
        {
            return null;
        }

        return Math.Clamp(paused / elapsed, 0, 1);
    }

    private static void Add(Span<SignalReading> destination, ref int n, string signal, long value)
    {
        if (value >= 0)
        {
            destination[n++] = new SignalReading(signal, value);
        }
    }
}
