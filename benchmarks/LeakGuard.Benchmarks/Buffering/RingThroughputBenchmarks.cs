using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using LeakGuard.Buffering;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Buffering;

/// <summary>
/// Fixed work, the same for every contender: one writer (the benchmark thread) publishes
/// <see cref="Samples"/> samples into a structure of <see cref="Capacity"/> slots, and <see cref="Readers"/>
/// reader threads (all running before the writer starts) read until every sample is accounted for. One
/// operation ends when the writer is done and every reader has caught up; the result is the time per sample
/// published. <see cref="Mode"/> says what a full structure does: <see cref="Delivery.Lossless"/> makes the
/// writer wait (every reader gets every sample: delivered throughput), <see cref="Delivery.DropOldest"/> drops
/// the oldest (the ring's own behaviour: the writer's cost with readers attached; the cleanup prints how much
/// the readers got).
/// <list type="bullet">
/// <item><b>Ring</b> (broadcast, its real use): every reader follows the writer with
/// <see cref="SampleRing{T}.CopySince"/>, copying in batches of up to <see cref="Capacity"/> whatever is new
/// since its last read, as the detector does. Each reader accounts for all N samples (read, or overwritten
/// before it got to them): R readers do R × N reads. Lossless: the writer does not overwrite what the slowest
/// reader has not copied (readers publish their position after each batch).</item>
/// <item><b>ConcurrentQueue</b> bounded by hand: drop-oldest, the writer dequeues one when <c>Count</c> has
/// reached the capacity, then enqueues; lossless, it waits until <c>Count</c> is below the capacity. The
/// readers compete with <c>TryDequeue</c>: every sample is consumed by one reader or dropped by the writer,
/// N reads in all.</item>
/// <item><b>ConcurrentQueue fan-out</b>: the queue doing the ring's job — every reader sees every sample, so
/// each reader has its own queue (bounded by hand as above) and the writer enqueues every sample into each
/// of them: R × N reads, like the ring. This is the like-for-like comparison for several readers.</item>
/// <item><b>Channel</b>: <c>Channel.CreateBounded</c> with <c>DropOldest</c> (drops counted by the channel's
/// callback) or <c>Wait</c> (the writer retries <c>TryWrite</c>), one writer, readers compete with
/// <c>TryRead</c>.</item>
/// </list>
/// Every reader, whatever it reads, touches one field of every sample it gets, backs off with the same
/// <see cref="SpinWait"/> (spin, then yield; no <c>Sleep(1)</c>) when it finds nothing, and stops when it
/// sees the writer's "done" flag and then finds nothing more. A waiting writer backs off the same way.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
[WarmupCount(3)]
[IterationCount(21)]
[InvocationCount(2, unrollFactor: 1)]
public class RingThroughputBenchmarks
{
    /// <summary>Samples published per operation.</summary>
    public const int Samples = 1 << 20;

    /// <summary>Slots in every contender.</summary>
    public const int Capacity = 1024;

    private const int Stride = 16; // longs: per-reader counters on separate cache lines

    private SampleRing<GcSample> _ring = null!;
    private ConcurrentQueue<GcSample> _queue = null!;
    private ConcurrentQueue<GcSample>[] _fanOut = [];
    private Channel<GcSample> _channel = null!;
    private long _channelDropped;

    private Thread[] _threads = [];
    private SemaphoreSlim[] _go = [];
    private CountdownEvent _finished = null!;
    private Action<int> _readerBody = _ => { };
    private volatile bool _stopping;
    private volatile bool _writerDone;
    private long _ringBase;
    private int _running;

    // Per reader, padded: [r * Stride] = samples read, [+ 1] = samples skipped, [+ 2] = checksum,
    // [+ 3] = a ring reader's position (the next sequence number it will read).
    private long[] _counters = [];
    private GcSample[][] _buffers = [];

    // Totals over all invocations, printed by the cleanup.
    private long _invocations;
    private long _totalRead;
    private long _totalDropped;

    /// <summary>What a full structure does.</summary>
    public enum Delivery
    {
        /// <summary>The writer waits (spin, then yield) until there is room: every reader gets every sample.</summary>
        Lossless,

        /// <summary>The writer never waits; the oldest sample is dropped (the ring's own behaviour).</summary>
        DropOldest,
    }

    /// <summary>Gets or sets the number of reader threads.</summary>
    [Params(1, 3)]
    public int Readers { get; set; }

    /// <summary>Gets or sets what happens when the structure is full.</summary>
    [Params(Delivery.Lossless, Delivery.DropOldest)]
    public Delivery Mode { get; set; }

    /// <summary>Ring readers follow the writer.</summary>
    [GlobalSetup(Target = nameof(SampleRing))]
    public void SetupRing()
    {
        _ring = new SampleRing<GcSample>(Capacity);
        _buffers = Enumerable.Range(0, Readers).Select(_ => new GcSample[Capacity]).ToArray();
        StartReaders(ReadRing);
    }

    /// <summary>Queue readers compete.</summary>
    [GlobalSetup(Target = nameof(ConcurrentQueue))]
    public void SetupQueue()
    {
        _queue = new ConcurrentQueue<GcSample>();
        StartReaders(ReadQueue);
    }

    /// <summary>One queue per reader: every reader gets every sample, as with the ring.</summary>
    [GlobalSetup(Target = nameof(ConcurrentQueueFanOut))]
    public void SetupFanOut()
    {
        _fanOut = Enumerable.Range(0, Readers).Select(_ => new ConcurrentQueue<GcSample>()).ToArray();
        StartReaders(ReadFanOut);
    }

    /// <summary>Channel readers compete.</summary>
    [GlobalSetup(Target = nameof(BoundedChannel))]
    public void SetupChannel()
    {
        _channel = Channel.CreateBounded<GcSample>(
            new BoundedChannelOptions(Capacity)
            {
                FullMode = Mode == Delivery.Lossless ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
                SingleReader = Readers == 1,
            },
            _ => _channelDropped++);
        StartReaders(ReadChannel);
    }

    /// <summary>Stops the reader threads and prints what was read and dropped.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        foreach (var go in _go)
        {
            go.Release();
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        var perReader = _invocations == 0 ? 0 : (double)_totalRead / _invocations / Readers;
        var dropped = _invocations == 0 ? 0 : (double)_totalDropped / _invocations / Readers;
        Console.WriteLine(
            $"// THROUGHPUT: {_readerBody.Method.Name} readers={Readers} cores={Environment.ProcessorCount} " +
            $"mode={Mode} invocations={_invocations}: per reader per operation {perReader:F0} read, {dropped:F0} dropped " +
            $"(of {Samples}; a queue's readers share the samples, a ring's each see all)");
    }

    /// <summary>The ring: write N, wait until every reader has followed to the end.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    public void SampleRing()
    {
        _ringBase = _ring.TotalWritten;
        for (var r = 0; r < Readers; r++)
        {
            _counters[(r * Stride) + 3] = _ringBase;
        }

        Begin();
        var ring = _ring;
        var lossless = Mode == Delivery.Lossless;
        var slowest = _ringBase;
        for (long i = 0; i < Samples; i++)
        {
            // Lossless: the writer may not overwrite what the slowest reader has not copied yet (the readers
            // publish how far they got after each batch, like a disruptor's gating sequences).
            if (lossless && _ringBase + i - slowest >= Capacity)
            {
                var spinner = default(SpinWait);
                while (_ringBase + i - (slowest = SlowestReader()) >= Capacity)
                {
                    Backoff(ref spinner);
                }
            }

            ring.Write(new GcSample { Index = i, HeapSizeAfterBytes = 1 });
        }

        End(-1);
    }

    /// <summary>The queue: drop the oldest by hand at capacity, enqueue; wait until the readers drained it.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public void ConcurrentQueue()
    {
        Begin();
        var queue = _queue;
        var lossless = Mode == Delivery.Lossless;
        long dropped = 0;
        for (long i = 0; i < Samples; i++)
        {
            EnqueueBounded(queue, new GcSample { Index = i, HeapSizeAfterBytes = 1 }, lossless, ref dropped);
        }

        End(dropped);
    }

    /// <summary>The queue fan-out: every sample into every reader's queue (bounded by hand as above).</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public void ConcurrentQueueFanOut()
    {
        Begin();
        var queues = _fanOut;
        var lossless = Mode == Delivery.Lossless;
        long dropped = 0;
        for (long i = 0; i < Samples; i++)
        {
            var sample = new GcSample { Index = i, HeapSizeAfterBytes = 1 };
            foreach (var queue in queues)
            {
                EnqueueBounded(queue, sample, lossless, ref dropped);
            }
        }

        End(dropped, Samples * (long)Readers);
    }

    /// <summary>The channel: <c>TryWrite</c> with <c>DropOldest</c>; wait until the readers drained it.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public void BoundedChannel()
    {
        Begin();
        var writer = _channel.Writer;
        _channelDropped = 0;
        for (long i = 0; i < Samples; i++)
        {
            var sample = new GcSample { Index = i, HeapSizeAfterBytes = 1 };
            if (!writer.TryWrite(sample))
            {
                // Only in the lossless (Wait) mode: full.
                var spinner = default(SpinWait);
                do
                {
                    Backoff(ref spinner);
                }
                while (!writer.TryWrite(sample));
            }
        }

        End(_channelDropped);
    }

    private static void Backoff(ref SpinWait spinner) => spinner.SpinOnce(sleep1Threshold: -1);

    /// <summary>A queue bounded by hand at <see cref="Capacity"/>: lossless waits for room, otherwise the oldest is dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EnqueueBounded(ConcurrentQueue<GcSample> queue, GcSample sample, bool lossless, ref long dropped)
    {
        if (lossless)
        {
            var spinner = default(SpinWait);
            while (queue.Count >= Capacity)
            {
                Backoff(ref spinner);
            }
        }
        else if (queue.Count >= Capacity && queue.TryDequeue(out _))
        {
            dropped++;
        }

        queue.Enqueue(sample);
    }

    private void ReadRing(int reader)
    {
        var ring = _ring;
        var buffer = _buffers[reader];
        var next = _ringBase;
        long read = 0, checksum = 0;
        var spinner = default(SpinWait);
        while (true)
        {
            var done = _writerDone;
            var copied = ring.CopySince(next, buffer, out var first);
            next = first + copied;
            if (copied > 0)
            {
                Volatile.Write(ref _counters[(reader * Stride) + 3], next);
                read += copied;
                for (var i = 0; i < copied; i++)
                {
                    checksum += buffer[i].Index;
                }

                spinner = default;
                continue;
            }

            if (done)
            {
                break;
            }

            Backoff(ref spinner);
        }

        var skipped = next - _ringBase - read;
        if (next - _ringBase != Samples)
        {
            throw new InvalidOperationException($"ring reader {reader} ended at {next - _ringBase} of {Samples}");
        }

        Publish(reader, read, skipped, checksum);
    }

    private void ReadQueue(int reader) => DrainQueue(_queue, reader);

    private void ReadFanOut(int reader) => DrainQueue(_fanOut[reader], reader);

    private void DrainQueue(ConcurrentQueue<GcSample> queue, int reader)
    {
        long read = 0, checksum = 0;
        var spinner = default(SpinWait);
        while (true)
        {
            var done = _writerDone;
            if (queue.TryDequeue(out var sample))
            {
                read++;
                checksum += sample.Index;
                spinner = default;
                continue;
            }

            if (done)
            {
                break;
            }

            Backoff(ref spinner);
        }

        Publish(reader, read, 0, checksum);
    }

    private void ReadChannel(int reader)
    {
        var channel = _channel.Reader;
        long read = 0, checksum = 0;
        var spinner = default(SpinWait);
        while (true)
        {
            var done = _writerDone;
            if (channel.TryRead(out var sample))
            {
                read++;
                checksum += sample.Index;
                spinner = default;
                continue;
            }

            if (done)
            {
                break;
            }

            Backoff(ref spinner);
        }

        Publish(reader, read, 0, checksum);
    }

    private long SlowestReader()
    {
        var slowest = long.MaxValue;
        for (var r = 0; r < Readers; r++)
        {
            slowest = Math.Min(slowest, Volatile.Read(ref _counters[(r * Stride) + 3]));
        }

        return slowest;
    }

    private void Publish(int reader, long read, long skipped, long checksum)
    {
        _counters[reader * Stride] = read;
        _counters[(reader * Stride) + 1] = skipped;
        _counters[(reader * Stride) + 2] = checksum;
    }

    /// <summary>Wakes the readers and waits until every one of them is running, so that no contender's
    /// result depends on how long the scheduler takes to wake a blocked thread.</summary>
    private void Begin()
    {
        _writerDone = false;
        Volatile.Write(ref _running, 0);
        foreach (var go in _go)
        {
            go.Release();
        }

        var spinner = default(SpinWait);
        while (Volatile.Read(ref _running) < Readers)
        {
            Backoff(ref spinner);
        }
    }

    /// <summary>Waits for the readers and checks that every sample was accounted for.</summary>
    /// <param name="writerDropped">Samples the writer dropped (a queue's), or -1 for a ring, whose readers
    /// each account for every sample themselves.</param>
    /// <param name="expected">Reads plus drops that account for every sample: N for competing readers,
    /// R × N for a fan-out.</param>
    private void End(long writerDropped, long expected = Samples)
    {
        _writerDone = true;
        _finished.Wait();
        _finished.Reset();

        long read = 0, skipped = 0;
        for (var r = 0; r < Readers; r++)
        {
            read += _counters[r * Stride];
            skipped += _counters[(r * Stride) + 1];
        }

        if (writerDropped >= 0)
        {
            if (read + writerDropped != expected)
            {
                throw new InvalidOperationException($"{read} read + {writerDropped} dropped != {expected}");
            }

            // Reported per reader like the ring's: each reader "lost" what the writer dropped.
            skipped = expected == Samples ? writerDropped * Readers : writerDropped;
        }

        _invocations++;
        _totalRead += read;
        _totalDropped += skipped;
    }

    private void StartReaders(Action<int> body)
    {
        _readerBody = body;
        _stopping = false;
        _counters = new long[Readers * Stride];
        _finished = new CountdownEvent(Readers);
        _go = Enumerable.Range(0, Readers).Select(_ => new SemaphoreSlim(0)).ToArray();
        _threads = Enumerable.Range(0, Readers).Select(r => new Thread(() =>
        {
            while (true)
            {
                _go[r].Wait();
                if (_stopping)
                {
                    return;
                }

                Interlocked.Increment(ref _running);
                body(r);
                _finished.Signal();
            }
        }) { IsBackground = true, Name = $"reader {r}" }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }
}
