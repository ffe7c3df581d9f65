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

        // GCMemoryInfo's heap size is measured right after the last collection, so bucket minima of it are the post-GC floor.
        Add(destination, ref n, LeakSignals.ManagedHeap, current.ManagedHeapBytes);
        Add(destination, ref n, LeakSignals.Gen2, current.Gen2SizeBytes);
        Add(destination, ref n, LeakSignals.Loh, current.LohSizeBytes);
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
