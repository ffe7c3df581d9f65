using System.Runtime.CompilerServices;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>Short-lived subscribers that attach to a long-lived event and never detach: the event keeps them alive.</summary>
public sealed class EventHandlerLeak : ILeak
{
    private long _subscribed;

    public string Name => "events";

    public string Description => "PriceWatcher objects subscribe to the static PriceFeed.PriceChanged event and never unsubscribe (managed_heap; held by the event's delegate).";

    public long Held => Interlocked.Read(ref _subscribed);

    // Not inlined into LeakLab's timer callback (dynamic PGO devirtualises the interface call and would), so the
    // report's "allocated at" names this method; docs/investigation.md, "Inlined methods".
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Step()
    {
        var watcher = new PriceWatcher();
        PriceFeed.PriceChanged += watcher.OnPriceChanged;
        Interlocked.Increment(ref _subscribed);
    }

    public void Release()
    {
        PriceFeed.Reset();
        Interlocked.Exchange(ref _subscribed, 0);
    }
}

/// <summary>A process-wide event source.</summary>
public static class PriceFeed
{
    public static event EventHandler<decimal>? PriceChanged;

    public static void Publish(decimal price) => PriceChanged?.Invoke(null, price);

    public static void Reset() => PriceChanged = null;
}

/// <summary>A per-request subscriber that should have died with its request.</summary>
public sealed class PriceWatcher
{
    private readonly byte[] _history = new byte[8 * 1024];

    public void OnPriceChanged(object? sender, decimal price) => _history[0] = (byte)price;
}
