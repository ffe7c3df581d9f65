using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Control: a cache over a finite key space (every product rendered once), hit with random keys.
/// It grows fast at first and saturates — the expected count is N·(1 − e^(−rate·t/N)), so with the
/// default rate it is 95 % full after ~3 time constants (a few seconds) and then flat.
/// </summary>
internal sealed class WarmUpCacheScenario : RateScenario
{
    private readonly Dictionary<int, CachedResponse> _products = [];
    private readonly Random _random = new(11);
    private readonly int _keySpace;

    public WarmUpCacheScenario(double lookupsPerSecond, int keySpace)
        : base(lookupsPerSecond)
    {
        _keySpace = keySpace;
    }

    public override string Description => $"cache over {_keySpace} products that fills up (saturating) and then stays flat";

    public override long Units => _products.Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var key = _random.Next(_keySpace);
        if (!_products.ContainsKey(key))
        {
            _products[key] = new CachedResponse($"product-{key}", key);
        }
    }
}
