using BenchmarkDotNet.Attributes;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Sources;

/// <summary>
/// The two GC sources side by side, per induced gen0 collection followed by
/// <see cref="GC.WaitForPendingFinalizers"/> (which is when <see cref="GcMemoryInfoSource"/> has produced its sample).
/// <c>Allocated</c> is process-wide, so it includes what the source allocates on the finalizer thread; the
/// listener's work on the dispatch thread arrives in 10 ms batches and is only partly inside the measurement
/// (see <see cref="GcEventListenerBenchmarks"/> for its exact per-collection cost).
/// </summary>
[MemoryDiagnoser]
public class GcSourceBenchmarks
{
    private IGcEventSource? _source;
    private long _samples;

    [Params("none", "listener", "gcinfo")]
    public string Source { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _source = Source switch
        {
            "listener" => new GcEventListener(),
            "gcinfo" => new GcMemoryInfoSource(maxSamplesPerSecond: 0), // the cost of observing one collection
            _ => null,
        };
        if (_source is not null)
        {
            _source.GcCompleted += _ => _samples++;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _source?.Dispose();
        Console.WriteLine($"// GC SOURCE {Source}: {_samples} samples");
    }

    [Benchmark]
    public void Gen0_collection_and_finalizers()
    {
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
    }
}
