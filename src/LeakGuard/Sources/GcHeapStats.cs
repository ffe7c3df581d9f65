namespace LeakGuard.Sources;

/// <summary>The content of one <c>GCHeapStats_V2</c> event (sizes after the collection, in bytes).</summary>
/// <param name="Gen0">GenerationSize0.</param>
/// <param name="Gen1">GenerationSize1.</param>
/// <param name="Gen2">GenerationSize2.</param>
/// <param name="Loh">GenerationSize3 (large-object heap).</param>
/// <param name="Poh">GenerationSize4 (pinned-object heap), or -1 when the event version lacks it.</param>
/// <param name="PromotedBytes">TotalPromotedSize0 … 4 summed.</param>
/// <param name="FinalizationPromotedCount">FinalizationPromotedCount.</param>
/// <param name="PinnedObjectCount">PinnedObjectCount.</param>
/// <param name="GcHandleCount">GCHandleCount.</param>
internal readonly record struct GcHeapStats(
    long Gen0,
    long Gen1,
    long Gen2,
    long Loh,
    long Poh,
    long PromotedBytes,
    long FinalizationPromotedCount,
    long PinnedObjectCount,
    long GcHandleCount)
{
    /// <summary>Gets the heap size after the collection: the event carries no total, so the generations are summed.</summary>
    public long HeapSizeBytes => Gen0 + Gen1 + Gen2 + Loh + Math.Max(Poh, 0);
}
