namespace LeakGuard.Hosting;

/// <summary>The values of <see cref="LeakVerdict.Limit"/> and <see cref="LeakVerdict.Usage"/>: which limit ends the process, and which usage counts against it.</summary>
internal static class LimitNames
{
    /// <summary>The limit set in <c>LeakGuard:MemoryLimitBytes</c>.</summary>
    public const string Configured = "configured";

    /// <summary>The cgroup's limit (the nearest of the process's cgroup and its ancestors).</summary>
    public const string Container = "container";

    /// <summary>The GC's heap hard limit: the heap throws <see cref="OutOfMemoryException"/> there, by default at 75 % of a container's limit.</summary>
    public const string GcHeapLimit = "gc_heap_limit";

    /// <summary>The memory the GC considers available when nothing else limits the process.</summary>
    public const string GcAvailableMemory = "gc_available_memory";

    /// <summary>The limiting cgroup's usage minus its inactive file pages (what the kernel weighs before an OOM kill).</summary>
    public const string CgroupWorkingSet = "cgroup_working_set";

    /// <summary>The limiting cgroup's usage, when its memory.stat cannot be read.</summary>
    public const string CgroupUsage = "cgroup_usage";

    /// <summary>The process's resident memory.</summary>
    public const string Rss = "rss";

    /// <summary>The GC heap's size after the last collection (what the heap hard limit is reached by).</summary>
    public const string GcHeap = "gc_heap";

    /// <summary>Names a limit in words.</summary>
    /// <param name="limit">A limit name.</param>
    /// <returns>The words.</returns>
    public static string Describe(string limit) => limit switch
    {
        Configured => "configured memory limit",
        Container => "container memory limit",
        GcHeapLimit => "GC heap limit",
        _ => "available memory",
    };
}
