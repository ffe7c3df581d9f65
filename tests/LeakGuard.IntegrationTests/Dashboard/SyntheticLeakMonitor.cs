using LeakGuard.Investigation;
using LeakGuard.Sources;

namespace LeakGuard.IntegrationTests.Dashboard;

/// <summary>
/// A monitor over a made-up 15-minute history in which the managed heap leaks 40 KiB/s under GC sawtooth,
/// with a finished report naming the growing type: what the page must show, without waiting for a real leak.
/// </summary>
internal sealed class SyntheticLeakMonitor : ILeakMonitor
{
    public const string GrowingType = "MyShop.Sessions.CartSession";
    private const double LeakBytesPerSecond = 40 * 1024;
    private const double HeapBase = 48L * 1024 * 1024;

    private readonly DateTimeOffset _now;
    private readonly MemorySample[] _samples;
    private readonly LeakReport _report;
    private int _investigations;

    public SyntheticLeakMonitor(DateTimeOffset now)
    {
        _now = now;
        _samples = Enumerable.Range(0, 900).Select(i => Sample(now - TimeSpan.FromSeconds(900 - i), i)).ToArray();
        var heap = _samples[^1].ManagedHeapBytes;
        var limit = MemoryLimitBytes!.Value;
        VerdictMap = new Dictionary<string, LeakVerdict>
        {
            [LeakSignals.ManagedHeap] = Verdict(LeakSignals.ManagedHeap, LeakState.Leaking, LeakBytesPerSecond, heap, TimeSpan.FromSeconds((limit - heap) / LeakBytesPerSecond)),
            [LeakSignals.ProcessMemory] = Verdict(LeakSignals.ProcessMemory, LeakState.Suspected, LeakBytesPerSecond * 1.1, _samples[^1].ResidentSetBytes, TimeSpan.FromSeconds((limit - _samples[^1].ResidentSetBytes) / (LeakBytesPerSecond * 1.1))),
            [LeakSignals.Gen2] = Verdict(LeakSignals.Gen2, LeakState.Suspected, LeakBytesPerSecond * 0.9, _samples[^1].Gen2SizeBytes, null),
            [LeakSignals.NativeMemory] = Verdict(LeakSignals.NativeMemory, LeakState.Stable, 3, 30e6, null),
            [LeakSignals.Loh] = Verdict(LeakSignals.Loh, LeakState.Stable, 0, 2e6, null),
            [LeakSignals.Threads] = Verdict(LeakSignals.Threads, LeakState.Stable, 0, 24, null),
        };
        _report = new LeakReport
        {
            Signal = LeakSignals.ManagedHeap,
            DetectedAt = now - TimeSpan.FromMinutes(7),
            GrowthBytesPerSecond = LeakBytesPerSecond,
            TimeToLimitSeconds = VerdictMap[LeakSignals.ManagedHeap].TimeToLimit!.Value.TotalSeconds,
            Snapshots = new SnapshotPair { Before = now - TimeSpan.FromMinutes(6), After = now - TimeSpan.FromMinutes(1) },
            GrowingTypes =
            [
                new GrowingType
                {
                    Type = GrowingType, CountDelta = 12_000, BytesDelta = 11_700_000, CountAfter = 30_500, BytesAfter = 29_800_000,
                    RetentionPaths =
                    [
                        new RetentionPath { Root = "static field MyShop.Sessions.SessionStore.Sessions", Share = 0.97, Path = ["System.Collections.Generic.Dictionary<System.Guid, MyShop.Sessions.CartSession>", "System.Collections.Generic.Dictionary+Entry<System.Guid, MyShop.Sessions.CartSession>[]", GrowingType] },
                        new RetentionPath { Root = "strong GC handle", Share = 0.03, Path = ["MyShop.Events.PriceChanged", "System.EventHandler", GrowingType] },
                    ],
                },
                new GrowingType { Type = "System.Byte[]", CountDelta = 12_000, BytesDelta = 6_100_000, CountAfter = 31_000, BytesAfter = 16_400_000 },
            ],
        };
    }

    public Dictionary<string, LeakVerdict> VerdictMap { get; }

    public int Investigations => Volatile.Read(ref _investigations);

    public LeakGuardOptions Options { get; } = new() { Snapshots = { Cooldown = TimeSpan.Zero, Delay = TimeSpan.FromSeconds(30) } };

    public bool IsRunning => true;

    public long? MemoryLimitBytes => 512L * 1024 * 1024;

    public IReadOnlyDictionary<string, LeakVerdict> Verdicts => VerdictMap;

    public LeakReport? LatestReport => _report;

    public IReadOnlyList<LeakReport> Reports => [_report];

    public bool IsInvestigating => false;

    public event EventHandler<LeakDetectedEventArgs>? LeakDetected { add { } remove { } }

    public IObservable<LeakVerdict> VerdictChanges => throw new NotSupportedException();

    public IReadOnlyList<MemorySample> GetRecentMemorySamples(int maxCount = 256) => _samples[Math.Max(0, _samples.Length - maxCount)..];

    public IReadOnlyList<GcSample> GetRecentGcSamples(int maxCount = 256) => [];

    public IReadOnlyList<SignalPoint> GetSeries(string signal, TimeSpan resolution) => [];

    public IDisposable Watch(string name, Func<long> gauge) => throw new NotSupportedException();

    public void ExpectCollected(object target, string label) => throw new NotSupportedException();

    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<LeakReport?> InvestigateAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _investigations);
        return Task.FromResult<LeakReport?>(null);
    }

    private static MemorySample Sample(DateTimeOffset at, int i)
    {
        // Allocation sawtooth on top of the leak: the floor (after each GC) is what grows.
        var heap = (long)(HeapBase + (LeakBytesPerSecond * i) + (i % 20 * 900_000));
        return new MemorySample
        {
            Timestamp = at,
            GcIndex = 1 + (i / 20),
            ManagedHeapBytes = (long)(HeapBase + (LeakBytesPerSecond * i)) + (i % 20 == 0 ? 0 : 300_000),
            Gen2SizeBytes = (long)(HeapBase * 0.6 + (LeakBytesPerSecond * 0.9 * i)),
            LohSizeBytes = 2_000_000 + (i % 7 * 10_000),
            CommittedBytes = heap + 8_000_000,
            ResidentSetBytes = heap + 38_000_000 + (i % 13 * 50_000),
        };
    }

    private LeakVerdict Verdict(string signal, LeakState state, double rate, double current, TimeSpan? ttl) => new()
    {
        Signal = signal,
        State = state,
        EvaluatedAt = _now,
        Since = _now - TimeSpan.FromMinutes(state == LeakState.Leaking ? 4 : 12),
        Horizon = TimeSpan.FromMinutes(10),
        GrowthRatePerSecond = rate,
        GrowthRateLowerPerSecond = rate * 0.8,
        GrowthRateUpperPerSecond = rate * 1.2,
        CurrentValue = current,
        PValue = state >= LeakState.Suspected ? 1e-6 : 0.4,
        TimeToLimit = ttl,
        Reason = state >= LeakState.Suspected ? "Mann–Kendall p < 0.001; recent third still growing" : "no significant trend",
    };
}
