using BenchmarkDotNet.Attributes;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Sources;

/// <summary>LeakGuard's own share of a collection's events: decoding a boxed heap-stats payload by position
/// and assembling the five events of a blocking collection into a sample.</summary>
[MemoryDiagnoser]
public class GcSampleBuilderBenchmarks
{
    private static readonly DateTime T0 = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);
    private readonly object?[] _heapStats =
    [
        100UL, 1UL, 200UL, 2UL, 3000UL, 3UL, 400UL, 4UL, 999UL, 5UL, 6U, 7U, 8U, (ushort)0, 50UL, 10UL,
    ];

    private GcSampleBuilder _builder = null!;
    private long _index;
    private long _sum;

    [GlobalSetup]
    public void Setup() => _builder = new GcSampleBuilder(sample => _sum += sample.HeapSizeAfterBytes);

    [Benchmark]
    public long One_blocking_collection()
    {
        var index = ++_index;
        _builder.OnSuspendBegin(T0, 1);
        _builder.OnStart(index, 0, 0, 0);
        _builder.OnEnd(T0.AddTicks(100), index);
        _builder.OnHeapStats(T0.AddTicks(110), GcEventListener.DecodeHeapStats(_heapStats));
        _builder.OnRestartEnd(T0.AddTicks(200));
        return _sum;
    }
}
