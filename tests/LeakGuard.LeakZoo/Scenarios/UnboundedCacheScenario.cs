using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: a dictionary used as a response cache with no eviction. Every request has a new key
/// (a query string with a timestamp), so every response stays forever.
/// Held by the static field <c>s_responseCache</c>.
/// </summary>
internal sealed class UnboundedCacheScenario : RateScenario
{
    private static readonly Dictionary<string, CachedResponse> s_responseCache = [];

    public UnboundedCacheScenario(double bytesPerSecond)
        : base(bytesPerSecond / 4200)
    {
    }

    public override string Description => "Dictionary<string, CachedResponse> as a cache without eviction (static field s_responseCache)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var key = $"GET /products/{sequence % 977}?page={sequence / 977}&t={sequence}";
        if (!s_responseCache.TryGetValue(key, out _))
        {
            s_responseCache[key] = new CachedResponse(key, sequence);
        }
    }
}
