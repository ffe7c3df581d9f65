namespace LeakGuard.Sources;

/// <summary>
/// One periodic reading of the process's memory and resource counters.
/// </summary>
/// <remarks>Sizes are in bytes; a value of -1 means the value is unavailable on this host.</remarks>
public readonly struct MemorySample
{
    /// <summary>Gets the time of the reading.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the index of the last garbage collection the reading reflects.</summary>
    public long GcIndex { get; init; }

    /// <summary>Gets the managed heap size after the last collection (<c>GCMemoryInfo.HeapSizeBytes</c>).</summary>
    public long ManagedHeapBytes { get; init; }

    /// <summary>Gets the fragmented (free) bytes inside the managed heap.</summary>
    public long FragmentedBytes { get; init; }

    /// <summary>Gets the bytes the GC has committed from the operating system.</summary>
    public long CommittedBytes { get; init; }

    /// <summary>Gets the size of generation 2 after the last collection.</summary>
    public long Gen2SizeBytes { get; init; }

    /// <summary>Gets the size of the large- and pinned-object heaps after the last collection.</summary>
    public long LohSizeBytes { get; init; }

    /// <summary>
    /// Gets the free space inside generation 2 after the last collection (<c>FragmentationAfterBytes</c>): garbage a
    /// background collection swept that the size still counts. 0 when unknown.
    /// </summary>
    public long Gen2FragmentedBytes { get; init; }

    /// <summary>Gets the free space inside the large- and pinned-object heaps after the last collection; 0 when unknown.</summary>
    public long LohFragmentedBytes { get; init; }

    /// <summary>
    /// Gets the index of the last full collection (generation 2, blocking or background), or 0 before the first. Between full
    /// collections the managed sizes above also count garbage promoted to generation 2 (or left on the large-object heap)
    /// since the last one; only a full collection tells live objects from it.
    /// </summary>
    public long FullCollectionIndex { get; init; }

    /// <summary>
    /// Gets the live bytes of the managed heap after the last full collection (its size minus fragmentation: a background
    /// collection sweeps garbage into free space that the size still counts), or -1 before the first.
    /// </summary>
    public long FullCollectionHeapBytes { get; init; }

    /// <summary>Gets the live bytes of generation 2 after the last full collection (size minus fragmentation), or -1 before the first.</summary>
    public long FullCollectionGen2Bytes { get; init; }

    /// <summary>Gets the live bytes of the large- and pinned-object heaps after the last full collection, or -1 before the first.</summary>
    public long FullCollectionLohBytes { get; init; }

    /// <summary>Gets the resident set size (RSS) of the process.</summary>
    public long ResidentSetBytes { get; init; }

    /// <summary>Gets the container's (cgroup's) current memory usage.</summary>
    public long ContainerUsageBytes { get; init; }

    /// <summary>
    /// Gets the working set of the cgroup whose limit binds (its usage minus inactive file pages, the figure the kernel and
    /// the container runtime weigh against the limit), or -1 when the container has no limit or it cannot be read.
    /// </summary>
    public long ContainerWorkingSetBytes { get; init; }

    /// <summary>Gets the container's (cgroup's) memory limit, or -1 when there is none.</summary>
    public long ContainerLimitBytes { get; init; }

    /// <summary>Gets the container's OOM-kill count, or -1 when unavailable.</summary>
    public long ContainerOomKillCount { get; init; }

    /// <summary>Gets the memory the GC considers available to the process (<c>GCMemoryInfo.TotalAvailableMemoryBytes</c>).</summary>
    public long TotalAvailableMemoryBytes { get; init; }

    /// <summary>Gets the number of operating-system threads in the process.</summary>
    public int ThreadCount { get; init; }

    /// <summary>Gets the number of thread-pool threads.</summary>
    public int ThreadPoolThreadCount { get; init; }

    /// <summary>Gets the number of active timers (<c>Timer.ActiveCount</c>).</summary>
    public long TimerCount { get; init; }

    /// <summary>Gets the number of loaded assemblies, or -1 when unknown.</summary>
    public long LoadedAssemblyCount { get; init; }

    /// <summary>Gets the number of loaded assemblies generated at run time (<c>Assembly.IsDynamic</c>), or -1 when unknown.</summary>
    public long DynamicAssemblyCount { get; init; }

    /// <summary>Gets the number of loaded assemblies that can be unloaded (<c>Assembly.IsCollectible</c>), or -1 when unknown.</summary>
    public long CollectibleAssemblyCount { get; init; }

    /// <summary>Gets the number of objects waiting for finalization after the last collection.</summary>
    public long FinalizationPendingCount { get; init; }

    /// <summary>Gets the total time the process has been paused for garbage collection.</summary>
    public TimeSpan TotalPauseDuration { get; init; }

    /// <summary>Gets the total bytes allocated by the process so far.</summary>
    public long TotalAllocatedBytes { get; init; }

    /// <summary>
    /// Gets the bytes allocated since the probe saw the last collection: an upper bound on the memory the GC has
    /// committed since <see cref="CommittedBytes"/> was measured (0 when unknown).
    /// </summary>
    public long AllocatedSinceGcBytes { get; init; }

    /// <summary>Gets the number of GC handles (from the last GC event), or -1 when unknown.</summary>
    public long GcHandleCount { get; init; }
}
