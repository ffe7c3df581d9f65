using System.Diagnostics.Metrics;
using LeakGuard.Sources;

namespace LeakGuard.Telemetry;

/// <summary>
/// Creates LeakGuard's instruments (DESIGN §6) on the meter <see cref="LeakGuardInstrumentation.MeterName"/>.
/// Gauges and counters are observable, read from <see cref="MonitorReadings"/> at collection time, so a
/// listener that attaches late (the OpenTelemetry SDK often starts after LeakGuard) still sees every value.
/// Nothing here duplicates the runtime's <c>System.Runtime</c> meter.
/// </summary>
internal sealed class LeakGuardMetrics : IDisposable
{
    // GC pauses span from tens of microseconds (gen0 on a small heap) to seconds (full blocking GCs on large heaps).
    private static readonly double[] PauseBoundaries =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Heap snapshots measured on this machine take 0.1–6 s (DESIGN §2).
    private static readonly double[] SnapshotBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    // Boxed once: recording a pause must not allocate (it runs once per GC).
    private static readonly KeyValuePair<string, object?>[] GenerationTags =
    [
        new(LeakGuardMetricNames.GenerationTag, "gen0"),
        new(LeakGuardMetricNames.GenerationTag, "gen1"),
        new(LeakGuardMetricNames.GenerationTag, "gen2"),
    ];

    private static readonly KeyValuePair<string, object?> DynamicTag = new(LeakGuardMetricNames.AssemblyKindTag, "dynamic");
    private static readonly KeyValuePair<string, object?> CollectibleTag = new(LeakGuardMetricNames.AssemblyKindTag, "collectible");

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly MonitorReadings _readings;
    private readonly Histogram<double> _gcPause;
    private readonly Histogram<double> _snapshotDuration;

    /// <summary>Initializes a new instance of the <see cref="LeakGuardMetrics"/> class.</summary>
    /// <param name="meterFactory">The host's meter factory, or <see langword="null"/> to create (and own) a meter.</param>
    /// <param name="readings">The state the observable instruments report.</param>
    public LeakGuardMetrics(IMeterFactory? meterFactory, MonitorReadings readings)
    {
        _readings = readings;
        var version = typeof(LeakGuardMetrics).Assembly.GetName().Version?.ToString();
        if (meterFactory is null)
        {
            _meter = new Meter(LeakGuardInstrumentation.MeterName, version);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(new MeterOptions(LeakGuardInstrumentation.MeterName) { Version = version });
        }

        _meter.CreateObservableGauge(
            LeakGuardMetricNames.LeakSuspected,
            ObserveSuspected,
            unit: "1",
            description: "Whether LeakGuard currently suspects the signal of leaking (1) or not (0).");
        _meter.CreateObservableCounter(
            LeakGuardMetricNames.LeakDetections,
            ObserveDetections,
            unit: "{detection}",
            description: "The number of times a signal entered the leaking state.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.GrowthRate,
            ObserveGrowthRate,
            unit: "By/s",
            description: "The robust growth rate of a memory signal's floor after garbage collections.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.TimeToLimit,
            ObserveTimeToLimit,
            unit: "s",
            description: "The projected time until a growing memory signal reaches the memory limit.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.MemoryLimit,
            () => Known(_readings.MemoryLimitBytes),
            unit: "By",
            description: "The effective memory limit of the process, from the option, the cgroup or the GC's available memory.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.LimitUtilization,
            ObserveUtilization,
            unit: "1",
            description: "The share of the memory limit the process uses.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.NativeMemory,
            () => Known(_readings.NativeBytes),
            unit: "By",
            description: "The resident memory of the process that the garbage collector does not account for.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.HeapLiveSize,
            () => Known(_readings.LiveHeapBytes),
            unit: "By",
            description: "The managed heap size after the last full (generation 2) garbage collection.");
        _meter.CreateObservableGauge(
            LeakGuardMetricNames.AssemblyCount,
            ObserveAssemblies,
            unit: "{assembly}",
            description: "The number of loaded assemblies of a kind the runtime's dotnet.assembly.count does not tell apart: generated at run time (dynamic) or unloadable (collectible).");
        _gcPause = _meter.CreateHistogram(
            LeakGuardMetricNames.GcPauseDuration,
            unit: "s",
            description: "The time managed threads were paused by each garbage collection LeakGuard observed (all of them up to LeakGuard:MaxGcSamplesPerSecond collections per second, a sample above).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PauseBoundaries });
        _meter.CreateObservableCounter(
            LeakGuardMetricNames.ProcessRestarts,
            ObserveRestarts,
            unit: "{restart}",
            description: "The number of restarts seen when this process started, by the reason the previous instance ended.");
        _snapshotDuration = _meter.CreateHistogram(
            LeakGuardMetricNames.SnapshotDuration,
            unit: "s",
            description: "The time taken to capture a heap snapshot of the process.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SnapshotBoundaries });
        _meter.CreateObservableCounter(
            LeakGuardMetricNames.SamplesDropped,
            ObserveDropped,
            unit: "{sample}",
            description: "The number of samples LeakGuard dropped because its buffers were full or a reading failed.");
    }

    /// <summary>Records one collection's pause; allocation-free, safe on the GC event thread.</summary>
    /// <param name="sample">The collection.</param>
    public void RecordGcPause(in GcSample sample)
    {
        if (sample.PauseDuration > TimeSpan.Zero && (uint)sample.Generation < (uint)GenerationTags.Length)
        {
            _gcPause.Record(sample.PauseDuration.TotalSeconds, GenerationTags[sample.Generation]);
        }
    }

    /// <summary>Records how long a heap snapshot took.</summary>
    /// <param name="duration">The duration.</param>
    public void RecordSnapshotDuration(TimeSpan duration) => _snapshotDuration.Record(duration.TotalSeconds);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static KeyValuePair<string, object?> SignalTag(string signal) => new(LeakGuardMetricNames.SignalTag, signal);

    private static Measurement<long>[] Known(long value) => value >= 0 ? [new Measurement<long>(value)] : [];

    private List<Measurement<int>> ObserveSuspected()
    {
        var verdicts = _readings.Verdicts;
        var result = new List<Measurement<int>>(verdicts.Count);
        foreach (var verdict in verdicts.Values)
        {
            var suspected = verdict.State is LeakState.Suspected or LeakState.Leaking ? 1 : 0;
            result.Add(new Measurement<int>(suspected, SignalTag(verdict.Signal)));
        }

        return result;
    }

    private List<Measurement<long>> ObserveDetections()
    {
        var result = new List<Measurement<long>>();
        foreach (var (signal, count) in _readings.Detections)
        {
            result.Add(new Measurement<long>(count, SignalTag(signal)));
        }

        return result;
    }

    private List<Measurement<double>> ObserveGrowthRate()
    {
        var result = new List<Measurement<double>>();
        foreach (var verdict in _readings.Verdicts.Values)
        {
            if (LeakSignals.IsMemorySignal(verdict.Signal) && verdict.State != LeakState.InsufficientData)
            {
                result.Add(new Measurement<double>(verdict.GrowthRatePerSecond, SignalTag(verdict.Signal)));
            }
        }

        return result;
    }

    private List<Measurement<double>> ObserveTimeToLimit()
    {
        var result = new List<Measurement<double>>();
        foreach (var verdict in _readings.Verdicts.Values)
        {
            if (LeakSignals.IsMemorySignal(verdict.Signal) && verdict.TimeToLimit is { } ttl)
            {
                result.Add(new Measurement<double>(ttl.TotalSeconds, SignalTag(verdict.Signal)));
            }
        }

        return result;
    }

    private Measurement<long>[] ObserveAssemblies()
    {
        var kinds = _readings.Assemblies;
        return kinds.Dynamic < 0
            ? []
            : [new Measurement<long>(kinds.Dynamic, DynamicTag), new Measurement<long>(kinds.Collectible, CollectibleTag)];
    }

    private Measurement<double>[] ObserveUtilization()
    {
        var utilization = _readings.Utilization;
        return double.IsFinite(utilization) ? [new Measurement<double>(utilization)] : [];
    }

    private Measurement<long>[] ObserveRestarts()
    {
        var reason = _readings.RestartReason;
        return reason is null ? [] : [new Measurement<long>(1, new KeyValuePair<string, object?>(LeakGuardMetricNames.RestartReasonTag, reason))];
    }

    private Measurement<long>[] ObserveDropped() =>
    [
        new Measurement<long>(_readings.DroppedGcSamples, new KeyValuePair<string, object?>(LeakGuardMetricNames.SampleKindTag, "gc")),
        new Measurement<long>(_readings.DroppedMemorySamples, new KeyValuePair<string, object?>(LeakGuardMetricNames.SampleKindTag, "memory")),
    ];
}
