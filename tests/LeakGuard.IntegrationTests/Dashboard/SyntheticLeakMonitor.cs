using LeakGuard.Buffering;
using LeakGuard.Detection;
using LeakGuard.Investigation;
using LeakGuard.Sources;

namespace LeakGuard.IntegrationTests.Dashboard;

/// <summary>
/// A monitor over a made-up 26-hour history (the default settings' buckets, the last 900 raw samples) in which the
/// managed heap wobbles for a day and then leaks 40 KiB/s under GC sawtooth for the last 15 minutes, with threads,
/// GC handles, timers and a watched gauge beside it and two finished reports: what the page must show at every
/// horizon, without waiting for a real leak.
/// </summary>
internal sealed class SyntheticLeakMonitor : ILeakMonitor
{
    public const string GrowingType = "MyShop.Sessions.CartSession";
    private const double LeakBytesPerSecond = 40 * 1024;
    private const double HeapBase = 48L * 1024 * 1024;
    private const int LeakSeconds = 900;
    private const string Gauge = "orders_cache";
    private static readonly TimeSpan History = TimeSpan.FromHours(26);

    private readonly DateTimeOffset _now;
    private readonly MemorySample[] _samples;
    private readonly LeakReport _report;
    private readonly LeakReport _earlierReport;
    private readonly Dictionary<string, MultiResolutionSeries> _series = [];
    private int _investigations;

    public SyntheticLeakMonitor(DateTimeOffset now)
    {
        _now = now;
        _samples = Enumerable.Range(0, 900).Select(i => Sample(now - TimeSpan.FromSeconds(900 - i))).ToArray();
        var settings = DetectorSettings.Create(Options.Detection.Window, Options.SampleInterval, TimeSpan.Zero, Options.Detection);
        foreach (var signal in new[] { LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory, LeakSignals.Threads, LeakSignals.GcHandles, LeakSignals.Timers, LeakSignals.LoadedAssemblies, Gauge })
        {
            _series[signal] = new MultiResolutionSeries(settings.BucketWidths, settings.BucketCapacity);
        }

        for (var t = now - History; t <= now; t += TimeSpan.FromSeconds(1))
        {
            var sample = Sample(t);
            foreach (var (signal, series) in _series)
            {
                series.Add(t, signal == Gauge ? GaugeValue(t) : SeriesValue(sample, signal));
            }
        }

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
            [LeakSignals.GcHandles] = Verdict(LeakSignals.GcHandles, LeakState.Stable, 0.01, 1_200, TimeSpan.FromDays(1025)),
            [LeakSignals.Timers] = Verdict(LeakSignals.Timers, LeakState.Stable, 0, 12, null),
            [LeakSignals.LoadedAssemblies] = Verdict(LeakSignals.LoadedAssemblies, LeakState.Stable, 0, 180, null),
            [Gauge] = Verdict(Gauge, LeakState.Stable, 0.2, 5_000, null),
        };
        _earlierReport = new LeakReport
        {
            Signal = "manual",
            DetectedAt = now - TimeSpan.FromHours(5),
            GrowthBytesPerSecond = 0,
            Snapshots = new SnapshotPair { Before = now - TimeSpan.FromHours(5), After = now - TimeSpan.FromHours(5) + TimeSpan.FromMinutes(5) },
            GrowingTypes = [new GrowingType { Type = "System.String", CountDelta = 1_506, BytesDelta = 96_000, CountAfter = 210_000, BytesAfter = 14_000_000 }],
            Native = new NativeEvidence
            {
                Finding = "malloc in use +180 MiB: native allocations that are never freed (a native leak)",
                SecondsApart = 300,
                ReadMilliseconds = 12,
                Malloc = new NativeMalloc { InUseBytesBefore = 20L << 20, InUseBytesAfter = 200L << 20, FreeBytesBefore = 2L << 20, FreeBytesAfter = 3L << 20 },
                Mappings =
                [
                    new NativeMappingClass { Class = "mallocArenas", RssBytesBefore = 18L << 20, RssBytesAfter = 199L << 20, MappingsBefore = 8, MappingsAfter = 8 },
                    new NativeMappingClass { Class = "gcHeap", RssBytesBefore = 40L << 20, RssBytesAfter = 41L << 20, MappingsBefore = 12, MappingsAfter = 12 },
                ],
                Threads = new NativeThreads { Before = 24, After = 24 },
                SafeHandles = [new SafeHandleCount { Type = "Microsoft.Win32.SafeHandles.SafeFileHandle", CountBefore = 12, CountAfter = 12 }],
            },
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
                    AllocationSites =
                    [
                        new AllocationSite
                        {
                            Frames = ["MyShop!MyShop.Sessions.SessionStore.Open(class System.Guid)", "MyShop!MyShop.Api.CartEndpoints.AddItem(class Microsoft.AspNetCore.Http.HttpContext)", "Microsoft.AspNetCore.Routing!Microsoft.AspNetCore.Routing.EndpointMiddleware.Invoke(class Microsoft.AspNetCore.Http.HttpContext)"],
                            Share = 0.94, EstimatedBytes = 12_400_000, Samples = 121,
                        },
                        new AllocationSite { Frames = ["MyShop!MyShop.Sessions.SessionStore.Restore()"], Share = 0.06, EstimatedBytes = 790_000, Samples = 8 },
                    ],
                }.Explained(), // its known pattern and signature, as the investigator derives them from the main chain

                new GrowingType { Type = "System.Byte[]", CountDelta = 12_000, BytesDelta = 6_100_000, CountAfter = 31_000, BytesAfter = 16_400_000 },
            ],
            Allocations = new RecordedAllocations { Event = "AllocationSampled", Samples = 3_412, DurationSeconds = 300 },
            LoadedAssemblies = new LoadedAssemblies
            {
                Count = 512,
                Dynamic = 340,
                DynamicBetweenSnapshots = 300,
                Newest = [.. Enumerable.Range(0, 10).Select(i => new LoadedAssembly { Name = "Microsoft.GeneratedCode", Dynamic = true, LoadedAt = now - TimeSpan.FromSeconds(70 + i) })],
                Pattern = new KnownPattern { Id = "xml-serializer-per-call", Title = "XmlSerializer built per call with a non-caching constructor", Why = "…", Fix = "Build the serializer once and keep it in a static field.", Docs = "docs/investigation.md#xml-serializer-per-call" },
            },
        };
    }

    public Dictionary<string, LeakVerdict> VerdictMap { get; }

    public int Investigations => Volatile.Read(ref _investigations);

    public LeakGuardOptions Options { get; } = new() { Snapshots = { Cooldown = TimeSpan.Zero, Delay = TimeSpan.FromSeconds(30) } };

    public DateTimeOffset Now => _now;

    public bool IsRunning => true;

    public long? MemoryLimitBytes => 512L * 1024 * 1024;

    public IReadOnlyDictionary<string, LeakVerdict> Verdicts => VerdictMap;

    public LeakReport? LatestReport => _report;

    public IReadOnlyList<LeakReport> Reports => [_earlierReport, _report];

    public bool IsInvestigating => false;

    public event EventHandler<LeakDetectedEventArgs>? LeakDetected { add { } remove { } }

    public IObservable<LeakVerdict> VerdictChanges => throw new NotSupportedException();

    public IReadOnlyList<MemorySample> GetRecentMemorySamples(int maxCount = 256) => _samples[Math.Max(0, _samples.Length - maxCount)..];

    public IReadOnlyList<GcSample> GetRecentGcSamples(int maxCount = 256) => [];

    public IReadOnlyList<SignalPoint> GetSeries(string signal, TimeSpan resolution) =>
        _series.TryGetValue(signal, out var series) ? series.Read(resolution) : [];

    public IDisposable Watch(string name, Func<long> gauge) => throw new NotSupportedException();

    public void ExpectCollected(object target, string label) => throw new NotSupportedException();

    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<LeakReport?> InvestigateAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _investigations);
        return Task.FromResult<LeakReport?>(null);
    }

    private MemorySample Sample(DateTimeOffset at)
    {
        // A day of calm (a slow wobble of a few MiB), then the leak for the last 15 minutes. Allocation sawtooth on top:
        // the floor (after each GC) is what grows.
        var i = (int)(at - (_now - History)).TotalSeconds;
        var leaked = Math.Max(0, LeakSeconds - (_now - at).TotalSeconds) * LeakBytesPerSecond;
        var calm = HeapBase + (3e6 * Math.Sin(i / 3600.0));
        var heap = (long)(calm + leaked + (i % 20 * 900_000));
        return new MemorySample
        {
            Timestamp = at,
            GcIndex = 1 + (i / 20),
            ManagedHeapBytes = (long)(calm + leaked) + (i % 20 == 0 ? 0 : 300_000),
            Gen2SizeBytes = (long)((calm * 0.6) + (leaked * 0.9)),
            LohSizeBytes = 2_000_000 + (i % 7 * 10_000),
            CommittedBytes = heap + 8_000_000,
            ResidentSetBytes = heap + 38_000_000 + (i % 13 * 50_000),
            ThreadCount = 24 + (i / 600 % 5),
            GcHandleCount = 1_200 + (i / 60 % 40),
            TimerCount = 12 + (i / 300 % 3),
            LoadedAssemblyCount = 180 + (i / 900 % 2),
        };
    }

    private static double SeriesValue(in MemorySample sample, string signal) => signal switch
    {
        LeakSignals.ManagedHeap => sample.ManagedHeapBytes,
        LeakSignals.Gen2 => sample.Gen2SizeBytes,
        LeakSignals.Loh => sample.LohSizeBytes,
        LeakSignals.ProcessMemory => sample.ResidentSetBytes,
        LeakSignals.NativeMemory => sample.ResidentSetBytes - sample.CommittedBytes,
        LeakSignals.Threads => sample.ThreadCount,
        LeakSignals.GcHandles => sample.GcHandleCount,
        LeakSignals.LoadedAssemblies => sample.LoadedAssemblyCount,
        _ => sample.TimerCount,
    };

    private double GaugeValue(DateTimeOffset at) => 5_000 + (400 * Math.Sin((at - _now).TotalHours * Math.PI / 6));

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
