using BenchmarkDotNet.Attributes;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Sources;

/// <summary>One probe sample, and what it is made of.</summary>
[MemoryDiagnoser]
public class MemoryProbeBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private MemoryProbe _probe = null!;
    private ProcFile? _statm;
    private ProcFile? _stat;
    private CgroupMemoryReader _cgroup = null!;

    [GlobalSetup]
    public void Setup()
    {
        GC.Collect();
        _probe = new MemoryProbe();
        _statm = ProcFile.TryOpen("/proc/self/statm", 128);
        _stat = ProcFile.TryOpen("/proc/self/stat", 1024);
        _cgroup = new CgroupMemoryReader();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _probe.Dispose();
        _statm?.Dispose();
        _stat?.Dispose();
        _cgroup.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool Probe_one_sample() => _probe.TryRead(Now, out _);

    [Benchmark]
    public long GetGCMemoryInfo() => GC.GetGCMemoryInfo().HeapSizeBytes;

    [Benchmark]
    public long GetGCMemoryInfo_kind_any() => GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;

    [Benchmark]
    public long Statm_rss() => ProcfsText.ParseStatmResidentBytes(_statm!.Read(), 4096);

    [Benchmark]
    public int Stat_threads() => ProcfsText.ParseStatThreadCount(_stat!.Read());

    [Benchmark]
    public int Task_link_count_threads() => ProcTaskCounter.TryCount();

    [Benchmark]
    public long Cgroup_usage() => _cgroup.ReadUsageBytes();

    [Benchmark]
    public long Cgroup_limit() => _cgroup.ReadLimitBytes();

    [Benchmark]
    public long Cgroup_oom_kills() => _cgroup.ReadOomKillCount();

    [Benchmark]
    public long Runtime_counters() =>
        ThreadPool.ThreadCount + Timer.ActiveCount + GC.GetTotalPauseDuration().Ticks + GC.GetTotalAllocatedBytes(false);
}
