namespace LeakGuard.Sources;

/// <content>The GC's own view, refreshed only after a collection.</content>
internal sealed partial class MemoryProbe
{
    private GcInfo _gc;
    private FullInfo _full;
    private long _gcInfoKeyCollections = -1;
    private long _gcInfoKeyEvents = -1;
    private long _allocatedAtGcInfo;

    /// <summary>
    /// <see cref="GC.GetGCMemoryInfo()"/> allocates a 288-byte object per call (the <c>GCKind.Any</c> overload
    /// too), and its values only change when a collection completes. <see cref="GC.CollectionCount(int)"/> of
    /// generation 0 counts every collection and is free, so it keys a cache; the GC event count covers a
    /// background collection that ends after its (already counted) start. After a collection the last full one is read
    /// too (two more calls): the managed signals' urgency waits for a full collection to confirm a rise.
    /// </summary>
    private void RefreshGcInfo()
    {
        var collections = GC.CollectionCount(0);
        var events = Volatile.Read(ref _gcEventCount);
        // Before the first collection too: nothing changes until one runs (then the count moves).
        if (collections == _gcInfoKeyCollections && events == _gcInfoKeyEvents)
        {
            return;
        }

        _gc = Of(GC.GetGCMemoryInfo());
        _full = LastFullCollection(_full);
        _gcInfoKeyCollections = collections;
        _gcInfoKeyEvents = events;

        // The GC's committed bytes are frozen at the collection; what it commits afterwards (new gen0 and LOH
        // regions) would count as native memory until the next one. Remember the allocation counter here so a
        // sample can report the allocation since, an upper bound on that memory.
        _allocatedAtGcInfo = GC.GetTotalAllocatedBytes(precise: false);
    }

    /// <summary>
    /// Reads the most recent full collection (the later of the last blocking and the last background one) as live bytes:
    /// sizes minus fragmentation, because a background collection sweeps garbage into free space it still counts in the
    /// heap's size. Called only when a collection completed since the last read; a background collection's figures are
    /// published when it ends.
    /// </summary>
    private static FullInfo LastFullCollection(FullInfo known)
    {
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var info = background.Index > blocking.Index ? background : blocking;
        if (info.Index == 0 || info.Index == known.Index)
        {
            return known;
        }

        var generations = info.GenerationInfo;
        return new FullInfo(
            info.Index,
            info.HeapSizeBytes - info.FragmentedBytes,
            Gen2(generations, static g => g.SizeAfterBytes - g.FragmentationAfterBytes, -1),
            LohPoh(generations, static g => g.SizeAfterBytes - g.FragmentationAfterBytes, -1));
    }

    /// <summary>Reads a figure of generation 2, or <paramref name="unknown"/> when the runtime reports no such generation.</summary>
    private static long Gen2(ReadOnlySpan<GCGenerationInfo> generations, Func<GCGenerationInfo, long> figure, long unknown) =>
        generations.Length > 2 ? figure(generations[2]) : unknown;

    /// <summary>Sums a figure of the large- and pinned-object heaps (the latter where the runtime has one).</summary>
    private static long LohPoh(ReadOnlySpan<GCGenerationInfo> generations, Func<GCGenerationInfo, long> figure, long unknown) =>
        generations.Length > 4 ? figure(generations[3]) + figure(generations[4])
            : generations.Length > 3 ? figure(generations[3]) : unknown;

    private static GcInfo Of(GCMemoryInfo info)
    {
        var generations = info.GenerationInfo;
        return new GcInfo(
            info.Index,
            info.HeapSizeBytes,
            info.FragmentedBytes,
            info.TotalCommittedBytes,
            Gen2(generations, static g => g.SizeAfterBytes, -1),
            LohPoh(generations, static g => g.SizeAfterBytes, -1),
            Gen2(generations, static g => g.FragmentationAfterBytes, 0),
            LohPoh(generations, static g => g.FragmentationAfterBytes, 0),
            info.FinalizationPendingCount,
            info.TotalAvailableMemoryBytes);
    }

    private readonly record struct GcInfo(
        long Index,
        long HeapSizeBytes,
        long FragmentedBytes,
        long CommittedBytes,
        long Gen2SizeBytes,
        long LohPohSizeBytes,
        long Gen2FragmentedBytes,
        long LohPohFragmentedBytes,
        long FinalizationPendingCount,
        long TotalAvailableMemoryBytes);

    private readonly record struct FullInfo(long Index, long LiveHeapBytes, long LiveGen2Bytes, long LiveLohPohBytes);
}
