namespace LeakGuard.Telemetry;

/// <summary>The instrument and attribute names of the public contract (DESIGN §6), in one place.</summary>
internal static class LeakGuardMetricNames
{
    public const string LeakSuspected = "leakguard.leak.suspected";
    public const string LeakDetections = "leakguard.leak.detections";
    public const string GrowthRate = "leakguard.memory.growth_rate";
    public const string TimeToLimit = "leakguard.memory.time_to_limit";
    public const string MemoryLimit = "leakguard.memory.limit";
    public const string LimitUtilization = "leakguard.memory.limit_utilization";
    public const string NativeMemory = "leakguard.memory.native";
    public const string HeapLiveSize = "leakguard.heap.live_size";
    public const string AssemblyCount = "leakguard.assembly.count";
    public const string GcPauseDuration = "leakguard.gc.pause.duration";
    public const string ProcessRestarts = "leakguard.process.restarts";
    public const string SnapshotDuration = "leakguard.snapshot.duration";
    public const string SamplesDropped = "leakguard.samples.dropped";

    /// <summary>The signal a measurement belongs to (see <see cref="LeakSignals"/>).</summary>
    public const string SignalTag = "leakguard.signal";

    /// <summary>The OpenTelemetry semantic-convention attribute for a GC generation (<c>gen0</c>, <c>gen1</c>, <c>gen2</c>).</summary>
    public const string GenerationTag = "gc.heap.generation";

    /// <summary>Why the previous instance of the process ended.</summary>
    public const string RestartReasonTag = "leakguard.restart.reason";

    /// <summary>Which kind of loaded assembly is counted (<c>dynamic</c> or <c>collectible</c>).</summary>
    public const string AssemblyKindTag = "leakguard.assembly.kind";

    /// <summary>Which sample stream lost samples (<c>gc</c> or <c>memory</c>).</summary>
    public const string SampleKindTag = "leakguard.sample.kind";
}
