using System.Runtime.CompilerServices;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>A static cache with no eviction: every request adds an entry that nothing ever removes.</summary>
public sealed class UnboundedCacheLeak : ILeak
{
    private static readonly Dictionary<Guid, CachedReport> Cache = [];

    public string Name => "cache";

    public string Description => "Static Dictionary<Guid, CachedReport> without eviction (signal managed_heap; report names CachedReport).";

    public long Held { get { lock (Cache) { return Cache.Count; } } }

    // Not inlined into LeakLab's timer callback (dynamic PGO devirtualises the interface call and would), so the
    // report's "allocated at" names this method; docs/investigation.md, "Inlined methods".
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Step()
    {
        lock (Cache)
        {
            var id = Guid.NewGuid();
            Cache[id] = new CachedReport(id, new byte[16 * 1024]);
        }
    }

    public void Release()
    {
        lock (Cache)
        {
            Cache.Clear();
            Cache.TrimExcess();
        }
    }
}

/// <summary>The cached value: a report rendered for one request.</summary>
public sealed record CachedReport(Guid Id, byte[] Rendered);
