using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Control: a bounded LRU cache (capacity × ~4 KiB), filled before the scenario starts, under steady
/// churn — most requests miss (keys from a large space), so entries are evicted at the insert rate.
/// </summary>
internal sealed class LruCacheScenario : RateScenario
{
    private readonly LruCache<string, CachedResponse> _cache;
    private readonly Random _random = new(42);
    private readonly int _keySpace;

    public LruCacheScenario(double bytesPerSecond, int capacity)
        : base(bytesPerSecond / 4200)
    {
        _cache = new LruCache<string, CachedResponse>(capacity);
        _keySpace = capacity * 20;
        for (var i = 0; i < capacity; i++)
        {
            Lookup(i);
        }
    }

    public override string Description => "LRU cache bounded to a fixed capacity, pre-filled, under steady churn";

    public override long Units => _cache.Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence) => Lookup(_random.Next(_keySpace));

    private void Lookup(long key) => _cache.GetOrAdd($"GET /products/{key}", k => new CachedResponse(k, key));
}
