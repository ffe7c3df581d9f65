namespace LeakGuard;

/// <summary>The names of the built-in signals, as used in the <c>leakguard.signal</c> attribute and in verdicts.</summary>
public static class LeakSignals
{
    /// <summary>The managed heap's floor after garbage collections, in bytes, without the GC's free space inside it.</summary>
    public const string ManagedHeap = "managed_heap";

    /// <summary>Generation 2's bytes after collections, without its free space.</summary>
    public const string Gen2 = "gen2";

    /// <summary>The large- and pinned-object heaps' bytes after collections, without their free space.</summary>
    public const string Loh = "loh";

    /// <summary>The process's resident set size (RSS), in bytes.</summary>
    public const string ProcessMemory = "process_memory";

    /// <summary>Native memory: RSS minus the GC's committed bytes, in bytes.</summary>
    public const string NativeMemory = "native_memory";

    /// <summary>The number of operating-system threads in the process.</summary>
    public const string Threads = "threads";

    /// <summary>The number of active <see cref="System.Threading.Timer"/> instances.</summary>
    public const string Timers = "timers";

    /// <summary>The number of GC handles.</summary>
    public const string GcHandles = "gc_handles";

    /// <summary>The number of objects waiting for finalization.</summary>
    public const string FinalizationQueue = "finalization_queue";

    /// <summary>
    /// The number of loaded assemblies. Its growth after warm-up is code generated per operation (a serializer or a proxy
    /// built per call) or assemblies loaded into load contexts that never unload; reports then name the newest generated ones.
    /// </summary>
    public const string LoadedAssemblies = "loaded_assemblies";

    /// <summary>The share of time spent paused in garbage collection.</summary>
    public const string GcPressure = "gc_pressure";

    /// <summary>The number of objects watched with <c>ExpectCollected</c> that outlived their grace period.</summary>
    public const string RetainedObjects = "retained_objects";

    /// <summary>
    /// The process's recent lifetimes (with <c>StateDirectory</c>): Leaking when the last three or more each grew from start until
    /// an out-of-memory death or a recycle, with similar lengths. Judged once at start; its growth is in bytes per lifetime.
    /// </summary>
    public const string RestartCadence = "restart_cadence";

    /// <summary>Gets every built-in signal name, memory signals first (the CLI's and the dashboard's list of valid names).</summary>
    internal static IReadOnlyList<string> BuiltIn { get; } =
    [
        ManagedHeap, Gen2, Loh, ProcessMemory, NativeMemory, Threads, Timers, GcHandles, FinalizationQueue, LoadedAssemblies, GcPressure, RetainedObjects,
    ];

    /// <summary>Returns whether the signal is measured in bytes (as opposed to a count or a ratio).</summary>
    /// <param name="signal">A signal name.</param>
    /// <returns><see langword="true"/> for the memory signals.</returns>
    public static bool IsMemorySignal(string signal) => signal switch
    {
        ManagedHeap or Gen2 or Loh or ProcessMemory or NativeMemory => true,
        _ => false,
    };

    /// <summary>Returns whether a verdict's growth is in bytes: the memory signals' and <see cref="RestartCadence"/>'s (growth per lifetime).</summary>
    /// <param name="signal">A signal name.</param>
    /// <returns><see langword="true"/> when growth and rates are bytes.</returns>
    internal static bool GrowsInBytes(string signal) => IsMemorySignal(signal) || signal == RestartCadence;
}
