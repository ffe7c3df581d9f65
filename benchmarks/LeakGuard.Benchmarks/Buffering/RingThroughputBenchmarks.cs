using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using LeakGuard.Buffering;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Buffering;

/// <summary>
/// One writer publishing samples while reader threads read concurrently — the ring's real pattern.
/// The ring's readers read the latest sample (non-consuming); the queue's and channel's readers consume,
/// which is how those types are read. Result: time per write under reader load.
/// </summary>
[MemoryDiagnoser]
public class RingThroughputBenchmarks
{
    private const int Writes = 1 << 20;
    private const int Capacity = 1024;
    private SampleRing<GcSample> _ring = null!;
    private ConcurrentQueue<GcSample> _queue = null!;
    private Channel<GcSample> _channel = null!;
    private Thread[] _readers = [];
    private volatile bool _stop;

    [Params(1, 3)]
    public int Readers { get; set; }

    [GlobalSetup(Target = nameof(SampleRing))]
    public void SetupRing()
    {
        _ring = new SampleRing<GcSample>(Capacity);
        StartReaders(() => _ring.TryReadLatest(out _));
    }

    [GlobalSetup(Target = nameof(ConcurrentQueue))]
    public void SetupQueue()
    {
        _queue = new ConcurrentQueue<GcSample>();
        StartReaders(() => _queue.TryDequeue(out _));
    }

    [GlobalSetup(Target = nameof(BoundedChannel))]
    public void SetupChannel()
    {
        _channel = Channel.CreateBounded<GcSample>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
        StartReaders(() => _channel.Reader.TryRead(out _));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        foreach (var reader in _readers)
        {
            reader.Join();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writes)]
    public void SampleRing()
    {
        var sample = new GcSample { HeapSizeAfterBytes = 1 };
        for (var i = 0; i < Writes; i++)
        {
            _ring.Write(sample);
        }
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public void ConcurrentQueue()
    {
        var sample = new GcSample { HeapSizeAfterBytes = 1 };
        for (var i = 0; i < Writes; i++)
        {
            _queue.Enqueue(sample);
        }
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public void BoundedChannel()
    {
        var sample = new GcSample { HeapSizeAfterBytes = 1 };
        var writer = _channel.Writer;
        for (var i = 0; i < Writes; i++)
        {
            writer.TryWrite(sample);
        }
    }

    private void StartReaders(Func<bool> read)
    {
        _stop = false;
        _readers = Enumerable.Range(0, Readers).Select(_ => new Thread(() =>
        {
            while (!_stop)
            {
                read();
            }
        }) { IsBackground = true }).ToArray();
        foreach (var reader in _readers)
        {
            reader.Start();
        }
    }
}
