namespace LeakGuard.Sources;

/// <summary>
/// How far below its hard limit the GC heap can stop growing: the GC takes memory for new objects a region at a time
/// (per heap), so the allocation that needs a fresh region fails once less than a region is left under the limit, even
/// though the heap's size has not reached it. Read once from the runtime's GC settings.
/// </summary>
internal static class GcCommitGrain
{
    /// <summary>The runtime's basic region size on 64-bit hosts when nothing configures it (1–2 MiB only for heaps
    /// too small to hold a few 4-MiB regions, where counting 4 MiB is the cautious side).</summary>
    public const long DefaultRegionBytes = 4L * 1024 * 1024;

    private static readonly Lazy<long> s_bytes = new(Read);

    /// <summary>Gets one region per GC heap, in bytes.</summary>
    public static long Bytes => s_bytes.Value;

    /// <summary>Computes the grain from the GC's settings (<c>GCRegionSize</c>, <c>HeapCount</c>).</summary>
    /// <param name="settings">The GC's configuration variables.</param>
    /// <returns>The region size (configured, else <see cref="DefaultRegionBytes"/>) times the heap count (at least 1).</returns>
    internal static long From(IReadOnlyDictionary<string, object> settings)
    {
        var region = Number(settings, "GCRegionSize") is > 0 and var configured ? configured : DefaultRegionBytes;
        var heaps = Number(settings, "HeapCount") is > 0 and var count ? count : 1;
        return region * Math.Min(heaps, 1024);
    }

    private static long Read()
    {
        try
        {
            return From(GC.GetConfigurationVariables());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return DefaultRegionBytes;
        }
    }

    private static long Number(IReadOnlyDictionary<string, object> settings, string key) =>
        settings.TryGetValue(key, out var value) ? value switch
        {
            long l => l,
            int i => i,
            ulong u when u <= long.MaxValue => (long)u,
            uint u => u,
            _ => -1,
        } : -1;
}
