namespace LeakGuard.Hosting;

/// <summary>Values of the <c>leakguard.restart.reason</c> attribute: how the previous instance ended.</summary>
internal static class RestartReasons
{
    /// <summary>The previous instance stopped cleanly (a deployment, a scale-in, a manual restart).</summary>
    public const string CleanExit = "clean_exit";

    /// <summary>LeakGuard recycled the previous instance before an OOM kill.</summary>
    public const string Recycled = "recycled";

    /// <summary>The previous instance died of <see cref="OutOfMemoryException"/>: one reached the top of the app, or the GC's heap
    /// limit was hit (an <see cref="OutOfMemoryException"/> thrown while the heap was at its limit) and the instance then ended.</summary>
    public const string OutOfMemory = "out_of_memory";

    /// <summary>The previous instance vanished without a clean exit while memory was near the container's limit, or the cgroup's OOM-kill count moved.</summary>
    public const string OomKilled = "oom_killed";

    /// <summary>The previous instance vanished without a clean exit, with no sign of memory exhaustion.</summary>
    public const string Crashed = "crashed";

    /// <summary>The state file was corrupt or unreadable.</summary>
    public const string Unknown = "unknown";
}
