using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Control: large arrays (large-object heap) allocated periodically, kept for a short while and
/// released — a sawtooth. Gen0/gen1 collections never reclaim the LOH, so the heap climbs until a
/// gen2 runs: a warm-up that can look like a leak.
/// </summary>
internal sealed class LohSawtoothScenario : RateScenario
{
    private readonly Queue<byte[]> _inFlight = new();
    private readonly int _arrayBytes;
    private readonly int _keep;

    public LohSawtoothScenario(double arraysPerSecond, int arrayBytes, int keep)
        : base(arraysPerSecond)
    {
        _arrayBytes = arrayBytes;
        _keep = keep;
    }

    public override string Description => $"{_arrayBytes / (1024 * 1024)} MiB arrays allocated periodically, the last {_keep} kept, older ones dropped";

    public override long Units => _inFlight.Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var array = new byte[_arrayBytes];
        // Touch every page so the array is resident, as a real buffer would be.
        for (var i = 0; i < array.Length; i += 4096)
        {
            array[i] = (byte)sequence;
        }

        _inFlight.Enqueue(array);
        while (_inFlight.Count > _keep)
        {
            _inFlight.Dequeue();
        }
    }
}
