using System.Collections.Concurrent;

namespace LeakGuard.Telemetry;

/// <summary>
/// The monitor's latest published state: written by LeakGuard's loop (and GC thread for the drop counts),
/// read by the metrics callbacks, the health check and <see cref="ILeakMonitor"/>. Unknown values are -1 or NaN.
/// </summary>
internal sealed class MonitorReadings
{
    private IReadOnlyDictionary<string, LeakVerdict> _verdicts = new Dictionary<string, LeakVerdict>();
    private long _memoryLimitBytes = -1;
    private long _processLimitBytes = -1;
    private string? _limitName;
    private string? _usageName;
    private double _utilization = double.NaN;
    private long _nativeBytes = -1;
    private AssemblyKinds _assemblies = new(-1, -1);
    private long _liveHeapBytes = -1;
    private long _droppedGcSamples;
    private long _droppedMemorySamples;
    private string? _restartReason;

    /// <summary>Gets or sets the current verdicts (an immutable snapshot; replace it, never mutate it).</summary>
    public IReadOnlyDictionary<string, LeakVerdict> Verdicts
    {
        get => Volatile.Read(ref _verdicts);
        set => Volatile.Write(ref _verdicts, value);
    }

    /// <summary>Gets or sets the limit that ends the process first (the GC's heap limit or the process's), or -1 when unknown.</summary>
    public long MemoryLimitBytes
    {
        get => Volatile.Read(ref _memoryLimitBytes);
        set => Volatile.Write(ref _memoryLimitBytes, value);
    }

    /// <summary>Gets or sets which limit <see cref="MemoryLimitBytes"/> is (a <see cref="Hosting.LimitNames"/> value), or <see langword="null"/>.</summary>
    public string? LimitName
    {
        get => Volatile.Read(ref _limitName);
        set => Volatile.Write(ref _limitName, value);
    }

    /// <summary>Gets or sets which usage <see cref="Utilization"/> counts (a <see cref="Hosting.LimitNames"/> value), or <see langword="null"/>.</summary>
    public string? UsageName
    {
        get => Volatile.Read(ref _usageName);
        set => Volatile.Write(ref _usageName, value);
    }

    /// <summary>Gets or sets the process's own limit (configured, the container's, or the GC's available memory), or -1 when unknown.</summary>
    public long ProcessLimitBytes
    {
        get => Volatile.Read(ref _processLimitBytes);
        set => Volatile.Write(ref _processLimitBytes, value);
    }

    /// <summary>Gets or sets the share of <see cref="MemoryLimitBytes"/> in use, or NaN when unknown.</summary>
    public double Utilization
    {
        get => Volatile.Read(ref _utilization);
        set => Volatile.Write(ref _utilization, value);
    }

    /// <summary>Gets or sets the native (non-GC) resident bytes, or -1 when unknown.</summary>
    public long NativeBytes
    {
        get => Volatile.Read(ref _nativeBytes);
        set => Volatile.Write(ref _nativeBytes, value);
    }

    /// <summary>Gets or sets the loaded dynamic and collectible assemblies (-1 each when unknown), replaced as a pair.</summary>
    public AssemblyKinds Assemblies
    {
        get => Volatile.Read(ref _assemblies);
        set => Volatile.Write(ref _assemblies, value);
    }

    /// <summary>Gets or sets the heap size after the last generation-2 collection, or -1 when none was seen.</summary>
    public long LiveHeapBytes
    {
        get => Volatile.Read(ref _liveHeapBytes);
        set => Volatile.Write(ref _liveHeapBytes, value);
    }

    /// <summary>Gets the number of garbage-collection samples overwritten before the loop read them.</summary>
    public long DroppedGcSamples => Volatile.Read(ref _droppedGcSamples);

    /// <summary>Gets the number of memory samples that could not be taken or kept.</summary>
    public long DroppedMemorySamples => Volatile.Read(ref _droppedMemorySamples);

    /// <summary>Gets or sets why the previous instance of the process ended, or <see langword="null"/> when this is the first start (or unknown).</summary>
    public string? RestartReason
    {
        get => Volatile.Read(ref _restartReason);
        set => Volatile.Write(ref _restartReason, value);
    }

    /// <summary>Gets the number of times each signal entered <see cref="LeakState.Leaking"/>.</summary>
    public ConcurrentDictionary<string, long> Detections { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts garbage-collection samples lost before they were read.</summary>
    /// <param name="count">The number lost.</param>
    public void AddDroppedGcSamples(long count) => Interlocked.Add(ref _droppedGcSamples, count);

    /// <summary>Counts memory samples lost.</summary>
    /// <param name="count">The number lost.</param>
    public void AddDroppedMemorySamples(long count) => Interlocked.Add(ref _droppedMemorySamples, count);
}
