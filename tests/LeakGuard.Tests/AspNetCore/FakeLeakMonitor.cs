using System.Collections.Concurrent;
using LeakGuard.Buffering;
using LeakGuard.Investigation;
using LeakGuard.Sources;

namespace LeakGuard.Tests.AspNetCore;

/// <summary>An ILeakMonitor whose state the test sets directly.</summary>
internal sealed class FakeLeakMonitor : ILeakMonitor
{
    public LeakGuardOptions Options { get; } = new();

    public bool IsRunning { get; set; } = true;

    public long? MemoryLimitBytes { get; set; } = 512L * 1024 * 1024;

    public ConcurrentDictionary<string, LeakVerdict> VerdictMap { get; } = new();

    public IReadOnlyDictionary<string, LeakVerdict> Verdicts => VerdictMap;

    public List<LeakReport> ReportList { get; } = [];

    public LeakReport? LatestReport => ReportList.Count > 0 ? ReportList[^1] : null;

    public IReadOnlyList<LeakReport> Reports => ReportList;

    public bool IsInvestigating { get; set; }

    public DateTimeOffset? SnapshotCooldownEndsAt { get; set; }

    public Dictionary<string, SignalPoint[]> Series { get; } = [];

    public List<MemorySample> Samples { get; } = [];

    public TaskCompletionSource<LeakReport?> Investigation { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int InvestigationsStarted;

    public List<TimeSpan> RequestedResolutions { get; } = [];

    /// <summary>Gets real multi-resolution histories per signal; when a signal has one, <see cref="GetSeries"/> answers as the monitor does.</summary>
    public Dictionary<string, MultiResolutionSeries> Levels { get; } = [];

    public event EventHandler<LeakDetectedEventArgs>? LeakDetected { add { } remove { } }

    public VerdictStream Changes { get; } = new();

    public IObservable<LeakVerdict> VerdictChanges => Changes;

    public IReadOnlyList<MemorySample> GetRecentMemorySamples(int maxCount = 256) =>
        Samples.Skip(Math.Max(0, Samples.Count - maxCount)).ToArray();

    public IReadOnlyList<GcSample> GetRecentGcSamples(int maxCount = 256) => [];

    public IReadOnlyList<SignalPoint> GetSeries(string signal, TimeSpan resolution)
    {
        RequestedResolutions.Add(resolution);
        if (Levels.TryGetValue(signal, out var levels))
        {
            return levels.Read(resolution);
        }

        return Series.TryGetValue(signal, out var points) ? points : [];
    }

    public IDisposable Watch(string name, Func<long> gauge) => throw new NotSupportedException();

    public void ExpectCollected(object target, string label) => throw new NotSupportedException();

    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<LeakReport?> InvestigateAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref InvestigationsStarted);
        return Investigation.Task;
    }

    public void SetVerdict(string signal, LeakState state, DateTimeOffset at, double rate = 0, double current = 0, TimeSpan? timeToLimit = null) =>
        VerdictMap[signal] = new LeakVerdict
        {
            Signal = signal,
            State = state,
            EvaluatedAt = at,
            Since = at - TimeSpan.FromMinutes(3),
            Horizon = TimeSpan.FromMinutes(10),
            GrowthRatePerSecond = rate,
            GrowthRateLowerPerSecond = rate / 2,
            GrowthRateUpperPerSecond = rate * 2,
            CurrentValue = current,
            PValue = 0.001,
            TimeToLimit = timeToLimit,
            Reason = "test verdict",
        };

    public static LeakReport Report(string type, DateTimeOffset after) => new()
    {
        Signal = LeakSignals.ManagedHeap,
        DetectedAt = after - TimeSpan.FromMinutes(6),
        GrowthBytesPerSecond = 1234.5,
        TimeToLimitSeconds = 5400,
        Snapshots = new SnapshotPair { Before = after - TimeSpan.FromMinutes(5), After = after },
        GrowingTypes =
        [
            new GrowingType
            {
                Type = type,
                CountDelta = 120_000,
                BytesDelta = 4_800_000,
                CountAfter = 200_000,
                BytesAfter = 8_000_000,
                RetentionPaths =
                [
                    new RetentionPath { Root = "static field Sessions", Share = 0.98, Path = ["System.Collections.Generic.List<MyApp.Session>", "MyApp.Session[]", type] },
                ],
            },
        ],
    };

    /// <summary>The monitor's verdict changes, published by the test.</summary>
    internal sealed class VerdictStream : IObservable<LeakVerdict>
    {
        private readonly List<IObserver<LeakVerdict>> _observers = [];

        public void Publish(LeakVerdict verdict)
        {
            foreach (var observer in _observers.ToArray())
            {
                observer.OnNext(verdict);
            }
        }

        public IDisposable Subscribe(IObserver<LeakVerdict> observer)
        {
            _observers.Add(observer);
            return new Unsubscriber(() => _observers.Remove(observer));
        }

        private sealed class Unsubscriber(Action remove) : IDisposable
        {
            public void Dispose() => remove();
        }
    }
}
