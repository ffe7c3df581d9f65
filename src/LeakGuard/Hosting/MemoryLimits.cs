using LeakGuard.Sources;

namespace LeakGuard.Hosting;

/// <summary>
/// The limits that can end the process and the usage counted against each (issue 21: a managed leak dies of the GC's
/// heap limit at 75 % of a container's, and RSS runs ahead of what the cgroup is charged). Pure.
/// </summary>
/// <param name="Process">The process's limit: the option, else the container's, else the GC's available memory; <see langword="null"/> when none is known.</param>
/// <param name="Heap">The GC's heap limit, when it is below the process's limit (else it never ends the process first).</param>
internal readonly record struct MemoryLimits(MemoryBudget? Process, MemoryBudget? Heap)
{
    // cgroup v1 reports "no limit" as 9223372036854771712 (LONG_MAX rounded down to a page); anything this large is no limit.
    private const long NoLimitThreshold = 1L << 62;

    /// <summary>
    /// Gets the limit that ends the process first: the one with the least headroom, since growth of the managed heap
    /// moves both usages alike. Pressure warnings, health, recycling and the restart record use it.
    /// </summary>
    public MemoryBudget? Binding => Heap is { } heap && (Process is not { } process || heap.HeadroomBytes < process.HeadroomBytes) ? heap : Process;

    /// <summary>Resolves the limits from the option and the latest sample.</summary>
    /// <param name="configured">The <c>LeakGuard:MemoryLimitBytes</c> option.</param>
    /// <param name="sample">The latest sample.</param>
    /// <param name="heapGrainBytes">
    /// How far below the heap's limit the GC may fail to take its next region (<see cref="GcCommitGrain.Bytes"/>); added to
    /// the heap's slack.
    /// </param>
    /// <returns>The limits.</returns>
    public static MemoryLimits Resolve(long? configured, in MemorySample sample, long heapGrainBytes = 0)
    {
        var gcLimit = sample.TotalAvailableMemoryBytes is > 0 and < NoLimitThreshold ? sample.TotalAvailableMemoryBytes : -1;
        MemoryBudget? process = configured is > 0 ? new MemoryBudget(configured.Value, ResidentOrUsage(sample, out var usage), LimitNames.Configured, usage)
            : sample.ContainerLimitBytes is > 0 and < NoLimitThreshold ? ContainerBudget(sample)
            : gcLimit > 0 ? new MemoryBudget(gcLimit, ResidentOrUsage(sample, out usage), LimitNames.GcAvailableMemory, usage)
            : null;
        MemoryBudget? heap = gcLimit > 0 && (process is not { } p || gcLimit < p.LimitBytes)
            ? new MemoryBudget(gcLimit, sample.ManagedHeapBytes >= 0 ? sample.ManagedHeapBytes : -1, LimitNames.GcHeapLimit, LimitNames.GcHeap,
                (sample.ManagedHeapBytes >= 0 && sample.CommittedBytes > sample.ManagedHeapBytes ? sample.CommittedBytes - sample.ManagedHeapBytes : 0) + Math.Max(heapGrainBytes, 0))
            : null;
        return new MemoryLimits(process, heap);
    }

    /// <summary>Chooses the limit a signal grows towards: the nearer of the heap's and the process's for managed signals,
    /// the process's for resident and native memory, none for the others.</summary>
    /// <param name="signal">The signal.</param>
    /// <returns>The budget, or <see langword="null"/>.</returns>
    public MemoryBudget? For(string signal) => signal switch
    {
        LeakSignals.ManagedHeap or LeakSignals.Gen2 or LeakSignals.Loh => Binding,
        LeakSignals.ProcessMemory or LeakSignals.NativeMemory => Process,
        _ => null,
    };

    private static MemoryBudget ContainerBudget(in MemorySample sample) =>
        sample.ContainerWorkingSetBytes > 0
            ? new MemoryBudget(sample.ContainerLimitBytes, sample.ContainerWorkingSetBytes, LimitNames.Container, LimitNames.CgroupWorkingSet)
            : new MemoryBudget(sample.ContainerLimitBytes, ResidentOrUsage(sample, out var usage), LimitNames.Container, usage);

    private static long ResidentOrUsage(in MemorySample sample, out string usage)
    {
        usage = sample.ResidentSetBytes >= 0 ? LimitNames.Rss : LimitNames.CgroupUsage;
        return sample.ResidentSetBytes >= 0 ? sample.ResidentSetBytes : sample.ContainerUsageBytes >= 0 ? sample.ContainerUsageBytes : -1;
    }
}
