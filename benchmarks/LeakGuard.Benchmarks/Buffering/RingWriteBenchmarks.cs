using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using LeakGuard.Buffering;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Buffering;

/// <summary>Single-thread cost of one write (and of reading the latest 64) with no concurrent reader.</summary>
[MemoryDiagnoser]
public class RingWriteBenchmarks
{
    private const int Capacity = 1024;
    private readonly SampleRing<GcSample> _ring = new(Capacity);
    private readonly ConcurrentQueue<GcSample> _queue = new();
    private readonly Channel<GcSample> _channel = Channel.CreateBounded<GcSample>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
    private readonly GcSample[] _destination = new GcSample[64];
    private readonly GcSample[] _batch = new GcSample[Capacity];
    private GcSample _sample = new() { Index = 1, HeapSizeAfterBytes = 123_456_789, Gen2SizeBytes = 100_000_000 };

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Capacity; i++)
        {
            _ring.Write(_sample);
            _queue.Enqueue(_sample);
            _channel.Writer.TryWrite(_sample);
        }
    }

    [Benchmark(Baseline = true)]
    public void SampleRing_write() => _ring.Write(_sample);

    /// <summary>Overwrite-oldest emulated: enqueue one, drop one, so the queue stays at capacity.</summary>
    [Benchmark]
    public void ConcurrentQueue_enqueue_and_drop_oldest()
    {
        _queue.Enqueue(_sample);
        _queue.TryDequeue(out _);
    }

    [Benchmark]
    public bool BoundedChannel_write_drop_oldest() => _channel.Writer.TryWrite(_sample);

    [Benchmark]
    public int SampleRing_copy_latest_64() => _ring.CopyLatest(_destination);

    /// <summary>A follower's read of a whole ring of samples it has not seen (<c>CopySince</c>, 1024 samples).</summary>
    [Benchmark]
    public int SampleRing_copy_since_1024() => _ring.CopySince(_ring.TotalWritten - Capacity, _batch, out _);

    [Benchmark]
    public bool SampleRing_read_latest() => _ring.TryReadLatest(out _sample);

    /// <summary>The queue's non-consuming read: a snapshot copy of the whole queue.</summary>
    [Benchmark]
    public int ConcurrentQueue_snapshot_copy()
    {
        var all = _queue.ToArray();
        return all.Length;
    }
}
