using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Control: heavy allocation of short-lived garbage (strings, arrays, small objects) around a constant
/// live set; a few live entries are replaced each second so gen2 sees churn as well.
/// </summary>
internal sealed class ShortLivedGarbageScenario : RateScenario
{
    private const int LiveObjects = 4096;
    private readonly CachedResponse[] _liveSet = new CachedResponse[LiveObjects];
    private readonly Random _random = new(7);
    private long _checksum;
    private long _units;

    public ShortLivedGarbageScenario(double garbageBytesPerSecond)
        : base(garbageBytesPerSecond / 8192)
    {
        for (var i = 0; i < LiveObjects; i++)
        {
            _liveSet[i] = new CachedResponse($"live-{i}", i);
        }
    }

    public override string Description => $"short-lived garbage around a constant live set of {LiveObjects} × 4 KiB";

    public override long Units => _units;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        // ~8 KiB of garbage per unit: a string, a buffer and a few small objects.
        var text = $"request {sequence} {Guid.NewGuid()} {new string('r', 1000)}";
        var buffer = new byte[4096 + _random.Next(2048)];
        buffer[0] = (byte)text.Length;
        var parts = text.Split(' ');
        _checksum += buffer[0] + parts.Length;
        _units++;

        // A slow turnover of the live set (~20 KB/s): enough that gen2 sees churn, not so much that
        // promoted-then-dead entries pile up for minutes between background gen2 collections.
        if (sequence % 1024 == 0)
        {
            _liveSet[_random.Next(LiveObjects)] = new CachedResponse(text[..16], sequence);
        }
    }
}
