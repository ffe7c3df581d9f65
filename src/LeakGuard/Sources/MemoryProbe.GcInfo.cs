namespace LeakGuard.Sources;

/// <content>The GC's own view, refreshed only after a collection.</content>
internal sealed partial class MemoryProbe
{
    private GcInfo _gc;
    private long _gcInfoKeyCollections = -1;
    private long _gcInfoKeyEvents = -1;
    private long _allocatedAtGcInfo;

    /// <summary>
    /// <see cref="GC.GetGCMemoryInfo()"/> allocates a 288-byte object per call (the <c>GCKind.Any</c> overload
    /// too), and its values only change when a collection completes. <see cref="GC.CollectionCount(int)"/> of
    /// generation 0 counts every collection and is free, so it keys a cache; the GC event count covers a
    /// background collection that ends after its (already counted) start.
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

        var info = GC.GetGCMemoryInfo();
        var generations = info.GenerationInfo;
        _gc = new GcInfo(
            info.Index,
            info.HeapSizeBytes,
            info.FragmentedBytes,
            info.TotalCommittedBytes,
            generations.Length > 2 ? generations[2].SizeAfterBytes : -1,
            generations.Length > 4 ? generations[3].SizeAfterBytes + generations[4].SizeAfterBytes
                : generations.Length > 3 ? generations[3].SizeAfterBytes : -1,
            info.FinalizationPendingCount,
            info.TotalAvailableMemoryBytes);
        _gcInfoKeyCollections = collections;
        _gcInfoKeyEvents = events;

        // The GC's committed bytes are frozen at the collection; what it commits afterwards (new gen0 and LOH
        // regions) would count as native memory until the next one. Remember the allocation counter here so a
        // sample can report the allocation since, an upper bound on that memory.
        _allocatedAtGcInfo = GC.GetTotalAllocatedBytes(precise: false);
    }

    private readonly record struct GcInfo(
        long Index,
        long HeapSizeBytes,
        long FragmentedBytes,
        long CommittedBytes,
        long Gen2SizeBytes,
        long LohPohSizeBytes,
        long FinalizationPendingCount,
        long TotalAvailableMemoryBytes);
}
