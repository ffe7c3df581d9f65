namespace LeakGuard.Investigation;

/// <summary>Ranks the types whose live instances grew between two snapshot summaries.</summary>
internal static class HeapDiff
{
    /// <summary>The share of all growing types' count growth or bytes growth that makes a type's growth material (5 %).</summary>
    public const double MaterialShare = 0.05;

    /// <summary>The share of the leaking signal's own growth over the interval that a type's bytes growth must reach as well (1 %).</summary>
    public const double MaterialShareOfSignal = 0.01;

    /// <summary>
    /// The share of the heap that all growing types together must reach in a manual investigation, which has no leaking
    /// signal to compare with (1 %): below it the diff holds only the runtime's churn between two snapshots.
    /// </summary>
    public const double NoiseShareOfHeap = 0.01;

    /// <summary>How many of the largest types a report lists when nothing grew beyond noise.</summary>
    public const int LargestTypesListed = 10;

    /// <summary>Returns the bytes all growing types (count and bytes both up, LeakGuard's own left out) grew by together.</summary>
    /// <param name="before">The first snapshot's summary.</param>
    /// <param name="after">The second snapshot's summary.</param>
    /// <returns>The bytes.</returns>
    public static long GrowthBytes(HeapSnapshotSummary before, HeapSnapshotSummary after)
    {
        Growing(before, after, out _, out var bytes);
        return bytes;
    }

    /// <summary>Returns the second snapshot's largest types by bytes (LeakGuard's own left out), largest first.</summary>
    /// <param name="after">The snapshot's summary.</param>
    /// <returns>At most <see cref="LargestTypesListed"/> types.</returns>
    public static IReadOnlyList<TypeStatistics> Largest(HeapSnapshotSummary after) =>
        [.. after.Types.Where(t => !OwnTypeFilter.IsOwn(t.Type)).OrderByDescending(t => t.Bytes).ThenBy(t => t.Type, StringComparer.Ordinal).Take(LargestTypesListed)];

    /// <summary>Ranks growing types by their share of the count growth plus their share of the bytes growth.</summary>
    /// <param name="before">The first snapshot's summary.</param>
    /// <param name="after">The second snapshot's summary.</param>
    /// <param name="top">How many types to return.</param>
    /// <param name="minShare">
    /// Leaves out types that hold less than this share of all growing types' count growth and less than it of their
    /// bytes growth (the runtime's own churn between two snapshots: a few boxed Guids, delegates, type objects).
    /// </param>
    /// <param name="minBytes">
    /// Leaves out everything when all growing types together grew by fewer bytes than this (a share of the leaking signal's
    /// growth: the diff then holds only churn), 0 for none. Applied to the total, not per type, so the small objects that
    /// hold a leak's large buffers (a cache entry holding a byte[]) stay listed beside them.
    /// </param>
    /// <returns>The growing types, most growth first; types that did not grow in both count and bytes are left out.</returns>
    /// <remarks>
    /// Ranking by bytes alone hides the small objects that hold a leak together (the <c>Session</c> that owns a
    /// large <c>byte[]</c>); ranking by count alone hides a few growing buffers. The summed shares keep both near the top.
    /// </remarks>
    public static IReadOnlyList<TypeGrowth> Rank(HeapSnapshotSummary before, HeapSnapshotSummary after, int top, double minShare = 0, long minBytes = 0)
    {
        var growing = Growing(before, after, out var countGrowth, out var bytesGrowth);
        if (bytesGrowth < minBytes)
        {
            return [];
        }

        return growing
            .Where(g => (double)g.CountDelta / countGrowth >= minShare || (double)g.BytesDelta / bytesGrowth >= minShare)
            .OrderByDescending(g => ((double)g.CountDelta / countGrowth) + ((double)g.BytesDelta / bytesGrowth))
            .ThenBy(g => g.Type, StringComparer.Ordinal)
            .Take(top)
            .ToArray();
    }

    private static List<TypeGrowth> Growing(HeapSnapshotSummary before, HeapSnapshotSummary after, out long countGrowth, out long bytesGrowth)
    {
        var previous = new Dictionary<string, TypeStatistics>(StringComparer.Ordinal);
        foreach (var type in before.Types)
        {
            previous[type.Type] = type;
        }

        var growing = new List<TypeGrowth>();
        countGrowth = 0;
        bytesGrowth = 0;
        foreach (var type in after.Types)
        {
            previous.TryGetValue(type.Type, out var old);
            var countDelta = type.Count - (old?.Count ?? 0);
            var bytesDelta = type.Bytes - (old?.Bytes ?? 0);
            if (countDelta <= 0 || bytesDelta <= 0 || OwnTypeFilter.IsOwn(type.Type))
            {
                continue;
            }

            growing.Add(new TypeGrowth(type.Type, countDelta, bytesDelta, type.Count, type.Bytes));
            countGrowth += countDelta;
            bytesGrowth += bytesDelta;
        }

        return growing;
    }
}
