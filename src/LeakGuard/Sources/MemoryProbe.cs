namespace LeakGuard.Sources;

/// <summary>
/// Reads one <see cref="MemorySample"/> from the GC, <c>/proc/self</c> and the process's cgroup.
/// Files are opened once and re-read from offset 0; <see cref="GC.GetGCMemoryInfo()"/> (288 B per call)
/// is called only when a collection happened since the previous sample, so a steady sample costs no allocation.
/// Never throws: what cannot be read is -1, and non-Linux hosts get what <see cref="GC"/> and
/// <see cref="Environment"/> offer.
/// </summary>
internal sealed partial class MemoryProbe : IMemoryProbe
{
    private readonly object _gate = new();
    private readonly ProcFile? _statm;
    private readonly ProcFile? _stat;
    private readonly CgroupMemoryReader _cgroup;
    private readonly IGcEventSource? _gcEvents;
    private readonly LoadedAssemblyTracker _assemblies;
    private readonly long _pageSize = Environment.SystemPageSize;
    private readonly bool _useTaskLinkCount;
    /// <summary>The container limit is re-read every this many samples: it changes only when the container is
    /// updated, and on cgroup v1/v2 with nesting it costs one read per level (measured ~10 µs each under load).</summary>
    private const int LimitRefreshSamples = 16;

    private long _gcHandleCount = -1;
    private long _limitBytes = -1;
    private long _usageBytes = -1;
    private long _oomKillCount = -1;
    private int _threadCount = -1;
    private bool _threadCountFresh;
    private int _samplesUntilLimitRefresh;
    private long _gcEventCount;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="MemoryProbe"/> class.</summary>
    /// <param name="gcEvents">An optional GC event source: supplies the GC handle count and tells the probe when a
    /// background collection finished (which does not change the collection counts the cache is keyed on).</param>
    /// <param name="rootDirectory">The file-system root for <c>/proc</c> and cgroup files; tests pass a fixture directory.</param>
    /// <param name="assemblies">What counts loaded assemblies; the process-wide <see cref="LoadedAssemblyTracker.Shared"/> by default.</param>
    public MemoryProbe(IGcEventSource? gcEvents = null, string rootDirectory = "/", LoadedAssemblyTracker? assemblies = null)
    {
        _assemblies = assemblies ?? LoadedAssemblyTracker.Shared;
        if (OperatingSystem.IsLinux())
        {
            _statm = ProcFile.TryOpen(Path.Combine(rootDirectory, "proc/self/statm"), 128);

            // stat is one line of 52 fields; the command name is at most 16 bytes, so 1 KiB always fits.
            _stat = ProcFile.TryOpen(Path.Combine(rootDirectory, "proc/self/stat"), 1024);
            _useTaskLinkCount = Path.GetFullPath(rootDirectory) == "/";
        }

        _cgroup = new CgroupMemoryReader(OperatingSystem.IsLinux() ? rootDirectory : Path.Combine(rootDirectory, "nonexistent"));
        _gcEvents = gcEvents;
        if (gcEvents is not null)
        {
            gcEvents.GcCompleted += OnGcCompleted;
        }
    }

    /// <summary>Gets the cgroup hierarchy the probe reads container values from.</summary>
    public CgroupVersion CgroupVersion => _cgroup.Version;

    /// <inheritdoc />
    public bool TryRead(DateTimeOffset timestamp, out MemorySample sample)
    {
        lock (_gate)
        {
            sample = default;
            if (_disposed)
            {
                return false;
            }

            try
            {
                RefreshGcInfo();
                if (_gc.Index == 0)
                {
                    return false;
                }

                var allocated = GC.GetTotalAllocatedBytes(precise: false);
                var assemblies = _assemblies.Read();

                sample = new MemorySample
                {
                    Timestamp = timestamp,
                    GcIndex = _gc.Index,
                    ManagedHeapBytes = _gc.HeapSizeBytes,
                    FragmentedBytes = _gc.FragmentedBytes,
                    CommittedBytes = _gc.CommittedBytes,
                    Gen2SizeBytes = _gc.Gen2SizeBytes,
                    LohSizeBytes = _gc.LohPohSizeBytes,
                    Gen2FragmentedBytes = _gc.Gen2FragmentedBytes,
                    LohFragmentedBytes = _gc.LohPohFragmentedBytes,
                    FullCollectionIndex = _full.Index,
                    FullCollectionHeapBytes = _full.Index == 0 ? -1 : _full.LiveHeapBytes,
                    FullCollectionGen2Bytes = _full.Index == 0 ? -1 : _full.LiveGen2Bytes,
                    FullCollectionLohBytes = _full.Index == 0 ? -1 : _full.LiveLohPohBytes,
                    FinalizationPendingCount = _gc.FinalizationPendingCount,
                    TotalAvailableMemoryBytes = _gc.TotalAvailableMemoryBytes,
                    ResidentSetBytes = ReadResidentSetBytes(),
                    ContainerLimitBytes = RefreshContainer(),
                    ContainerUsageBytes = _usageBytes,
                    ContainerWorkingSetBytes = ReadContainerWorkingSet(),
                    ContainerOomKillCount = _oomKillCount,
                    ThreadCount = ThreadCountEveryOtherSample(),
                    ThreadPoolThreadCount = ThreadPool.ThreadCount,
                    TimerCount = Timer.ActiveCount,
                    LoadedAssemblyCount = assemblies.Loaded,
                    DynamicAssemblyCount = assemblies.Dynamic,
                    CollectibleAssemblyCount = assemblies.Collectible,
                    TotalPauseDuration = GC.GetTotalPauseDuration(),
                    TotalAllocatedBytes = allocated,
                    AllocatedSinceGcBytes = Math.Max(0, allocated - _allocatedAtGcInfo),
                    GcHandleCount = Volatile.Read(ref _gcHandleCount),
                };
                return true;
            }
#pragma warning disable CA1031 // A probe must never throw into the host; the sample is skipped instead.
            catch (Exception)
#pragma warning restore CA1031
            {
                sample = default;
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_gcEvents is not null)
            {
                _gcEvents.GcCompleted -= OnGcCompleted;
            }

            _statm?.Dispose();
            _stat?.Dispose();
            _cgroup.Dispose();
        }
    }

    // The thread count costs one procfs read (~2.4 µs) and only feeds the threads signal's bucket floors, which a
    // reading one sample old does not change: read it every other sample (measured: 5.8 → ~4.6 µs per sample).
    private int ThreadCountEveryOtherSample()
    {
        _threadCountFresh = !_threadCountFresh;
        if (_threadCountFresh || _threadCount < 0)
        {
            _threadCount = ReadThreadCount();
        }

        return _threadCount;
    }

    // Each cgroup file read costs ~2 µs (limit ~6 µs: it walks the parents), measured on a quiet machine: read
    // every sample they took most of a 9.5 µs sample. The limit and the OOM-kill count change rarely, and the
    // usage is only a fallback for RSS, so they are re-read every 16th sample (16 s by default).
    private long RefreshContainer()
    {
        if (--_samplesUntilLimitRefresh <= 0)
        {
            _limitBytes = _cgroup.ReadLimitBytes();
            _usageBytes = _cgroup.ReadUsageBytes();
            _oomKillCount = _cgroup.ReadOomKillCount();
            _samplesUntilLimitRefresh = LimitRefreshSamples;
        }

        return _limitBytes;
    }

    // Under a container limit the working set is what utilisation is computed from (RSS counts file-mapped and shared
    // pages the cgroup may not be charged for, and misses what other processes in the cgroup use), so it is read on
    // every sample, but only under a limit: two reads of kernel files on kept handles, no allocation.
    private long ReadContainerWorkingSet() => _limitBytes > 0 ? _cgroup.ReadWorkingSetBytes() : -1;

    private long ReadResidentSetBytes() => _statm is not null
        ? ProcfsText.ParseStatmResidentBytes(_statm.Read(), _pageSize)
        : OperatingSystem.IsLinux() ? -1 : Environment.WorkingSet;

    private void OnGcCompleted(GcSample gc)
    {
        Volatile.Write(ref _gcHandleCount, gc.GcHandleCount);
        Interlocked.Increment(ref _gcEventCount);
    }
}
