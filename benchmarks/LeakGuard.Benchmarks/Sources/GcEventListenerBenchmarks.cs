using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Sources;

/// <summary>
/// What listening costs per collection. <c>Gen0_collection</c> shows the cost inside the collection (the runtime
/// writing events into EventPipe buffers). The larger part runs later on the runtime's dispatch thread (decoding
/// payloads, allocating EventWrittenEventArgs, our callback); it is measured from inside the callback with the
/// thread's CPU clock and allocation counter and printed at cleanup as "dispatch CPU per GC".
/// </summary>
[MemoryDiagnoser]
public partial class GcEventListenerBenchmarks
{
    private const int ClockThreadCpuTime = 3;
    private GcEventListener? _listener;
    private long _count;
    private long _firstCpuNs;
    private long _lastCpuNs;
    private long _firstBytes;
    private long _lastBytes;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Listening)
        {
            return;
        }

        _listener = new GcEventListener();
        _listener.GcCompleted += _ =>
        {
            var cpu = ThreadCpuNanoseconds();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            if (_count++ == 0)
            {
                _firstCpuNs = cpu;
                _firstBytes = bytes;
            }

            _lastCpuNs = cpu;
            _lastBytes = bytes;
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_listener is null)
        {
            return;
        }

        // Let the last batch arrive before reading the counters.
        Thread.Sleep(1000);
        _listener.Dispose();
        var gcs = Math.Max(1, _count - 1);
        Console.WriteLine(
            $"// LISTENER: {_count} samples, dispatch CPU per GC = {(_lastCpuNs - _firstCpuNs) / 1000.0 / gcs:F1} us, " +
            $"dispatch allocation per GC = {(_lastBytes - _firstBytes) / gcs} B, dropped = {_listener.DroppedCount}, faults = {_listener.FaultCount}");
    }

    [Benchmark]
    public void Gen0_collection() => GC.Collect(0, GCCollectionMode.Forced, blocking: true);

    private static long ThreadCpuNanoseconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTime, out var time) != 0)
        {
            return 0;
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
