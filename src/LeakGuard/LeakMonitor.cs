using System.Collections.Concurrent;
using LeakGuard.Buffering;
using LeakGuard.Detection;
using LeakGuard.Hosting;
using LeakGuard.Investigation;
using LeakGuard.Sources;
using LeakGuard.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeakGuard;

/// <summary>
/// The leak monitor. In a hosted application use <c>services.AddLeakGuard()</c> and resolve <see cref="ILeakMonitor"/>;
/// elsewhere call <see cref="Start"/> and dispose the monitor at exit.
/// </summary>
public sealed partial class LeakMonitor : ILeakMonitor, IDisposable, IAsyncDisposable, ISnapshotAvailability
{
    // 1024 GCs between two loop ticks is far beyond gen0 churn at a 1 s interval; more are counted as dropped.
    private const int GcRingCapacity = 1024;

    // About 17 minutes at the default 1 s interval; longer history lives in the bucket series.
    private const int MemoryRingCapacity = 1024;

    /// <summary>The parts process memory is made of: the GC's heap (its live floor) and native memory.</summary>
    private static readonly string[] ProcessMemoryParts = [LeakSignals.ManagedHeap, LeakSignals.NativeMemory];
    private static readonly string[] ManagedSignals = [LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh];

    private static readonly string[] BuiltInSignals =
    [
        LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory,
        LeakSignals.Threads, LeakSignals.Timers, LeakSignals.GcHandles, LeakSignals.FinalizationQueue, LeakSignals.LoadedAssemblies, LeakSignals.GcPressure,
    ];

    private readonly LeakGuardOptions _options;
    private readonly MonitorComponents _components;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly MonitorReadings _readings = new();
    private readonly LeakGuardMetrics _metrics;
    private readonly DetectorSettings _detectorSettings;
    private readonly SampleRing<GcSample> _gcRing = new(GcRingCapacity);
    private readonly SampleRing<MemorySample> _memoryRing = new(MemoryRingCapacity);
    private readonly GcSample[] _gcBuffer = new GcSample[GcRingCapacity];
    private readonly SignalReading[] _readingBuffer = new SignalReading[SignalValues.MaxReadings + GaugeRegistry.Capacity];
    private readonly ConcurrentDictionary<string, SignalChannel> _channels = new(StringComparer.Ordinal);
    private readonly GaugeRegistry _gauges = new();
    private readonly HashSet<string> _failingGauges = new(StringComparer.Ordinal);
    private readonly VerdictBroadcaster _broadcaster;
    private readonly ILeakInvestigator _investigator;
    private readonly MemoryPressureWatch _pressure;
    private RestartStateStore? _stateStore;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Initializes a new instance of the <see cref="LeakMonitor"/> class (not started).</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="components">The sources, detector and investigator factories.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="meterFactory">The meter factory, or <see langword="null"/> to own a meter.</param>
    /// <param name="lifetime">The host's lifetime for graceful recycle, or <see langword="null"/> without a host.</param>
    internal LeakMonitor(
        LeakGuardOptions options,
        MonitorComponents components,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory,
        IHostApplicationLifetime? lifetime)
    {
        _options = options;
        _components = components;
        _time = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("LeakGuard");
        _lifetime = lifetime;
        _metrics = new LeakGuardMetrics(meterFactory, _readings);
        _detectorSettings = DetectorSettings.FromOptions(options);
        _broadcaster = new VerdictBroadcaster(_logger);
        _investigator = components.CreateInvestigator(options, timeProvider, _logger);
        _investigator.SnapshotTaken += _metrics.RecordSnapshotDuration;
        _investigator.SnapshotTaken += _ =>
        {
            NoteSelfDisturbance(_time.GetUtcNow());
            Volatile.Write(ref _snapshotSinceLastStep, 1);
        };
        _pressure = new MemoryPressureWatch(options.MemoryPressureThreshold);
        _startedAt = timeProvider.GetUtcNow();
        _recycle = new RecyclePolicy(options.Recycle, _startedAt);
        if (options.StateDirectory is { } directory)
        {
            _stateStore = new RestartStateStore(directory, _logger);
        }

        foreach (var signal in BuiltInSignals)
        {
            _channels[signal] = CreateChannel(signal);
        }

        PublishVerdicts();
    }

    /// <inheritdoc />
    public event EventHandler<LeakDetectedEventArgs>? LeakDetected;

    /// <inheritdoc />
    public LeakGuardOptions Options => _options;

    /// <inheritdoc />
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <inheritdoc />
    public long? MemoryLimitBytes => _readings.ProcessLimitBytes is >= 0 and var limit ? limit : null;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, LeakVerdict> Verdicts => _readings.Verdicts;

    /// <inheritdoc />
    public LeakReport? LatestReport => _investigator.Reports is { Count: > 0 } reports ? reports[^1] : null;

    /// <inheritdoc />
    public IReadOnlyList<LeakReport> Reports => _investigator.Reports;

    /// <inheritdoc />
    public bool IsInvestigating => _investigator.IsRunning;

    /// <inheritdoc />
    public DateTimeOffset? SnapshotCooldownEndsAt => _investigator.CooldownEndsAt;

    /// <inheritdoc />
    public IObservable<LeakVerdict> VerdictChanges => _broadcaster;

    /// <inheritdoc />
    string? ISnapshotAvailability.SnapshotsUnavailableReason => SnapshotsUnavailableReason;

    /// <summary>Gets why heap snapshots cannot be taken, or <see langword="null"/>: LeakGuard:Enabled false takes none, not even on request.</summary>
    internal string? SnapshotsUnavailableReason =>
        !_options.Enabled ? "LeakGuard is disabled (LeakGuard:Enabled = false); it takes no heap snapshots."
        : _options.Snapshots.Mode == SnapshotMode.Off ? "Heap snapshots are off (LeakGuard:Snapshots:Mode = Off); set it to Manual or OnSuspicion to investigate."
        : _investigator.UnavailableReason is { } reason ? $"Heap snapshots are unavailable: {reason}."
        : null;

    /// <summary>Gets the monitor's published state (for the health check and tests).</summary>
    internal MonitorReadings Readings => _readings;

    /// <summary>Gets the monitor's instruments (for the investigator's snapshot timings).</summary>
    internal LeakGuardMetrics Metrics => _metrics;

    /// <summary>Starts a monitor for an application without a generic host. Dispose it at exit (that records a clean exit).</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>The running monitor.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; the message names the key, the value and the allowed range.</exception>
    public static LeakMonitor Start(LeakGuardOptions? options = null)
    {
        options ??= new LeakGuardOptions();
        LeakGuardOptionsValidation.ThrowIfInvalid(options);
        var monitor = new LeakMonitor(options, MonitorComponents.Default, TimeProvider.System, loggerFactory: null, meterFactory: null, lifetime: null);
        monitor.StartSampling(runLoop: true);
        return monitor;
    }

    /// <inheritdoc />
    public IReadOnlyList<MemorySample> GetRecentMemorySamples(int maxCount = 256) => CopyLatest(_memoryRing, maxCount);

    /// <inheritdoc />
    public IReadOnlyList<GcSample> GetRecentGcSamples(int maxCount = 256) => CopyLatest(_gcRing, maxCount);

    /// <inheritdoc />
    public IReadOnlyList<SignalPoint> GetSeries(string signal, TimeSpan resolution)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!_channels.TryGetValue(signal, out var channel))
        {
            return [];
        }

        return channel.Series.Read(resolution);
    }

    /// <inheritdoc />
    public IDisposable Watch(string name, Func<long> gauge) => _gauges.Add(name, gauge);

    /// <inheritdoc />
    public void ExpectCollected(object target, string label)
    {
        WatchForCollection(target, label);
    }

    /// <inheritdoc />
    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken = default) =>
        SnapshotsUnavailableReason is { } reason
            ? Task.FromException<HeapSnapshotSummary>(new InvalidOperationException(reason))

            // Not awaited here: the investigator's task resumes the caller on the thread pool, off LeakGuard's stack.
            : _investigator.CaptureHeapSnapshotAsync(cancellationToken);

    /// <inheritdoc />
    public Task<AllocationRecordingResult> RecordAllocationsAsync(TimeSpan duration, CancellationToken cancellationToken = default) =>
        SnapshotsUnavailableReason is { } reason
            ? Task.FromException<AllocationRecordingResult>(new InvalidOperationException(reason))
            : _investigator.RecordAllocationsAsync(duration, cancellationToken);

    /// <inheritdoc />
    public Task<LeakReport?> InvestigateAsync(CancellationToken cancellationToken = default)
    {
        if (SnapshotsUnavailableReason is not null)
        {
            Log.InvestigationSkipped(_logger, "manual");
            return Task.FromResult<LeakReport?>(null);
        }

        return _investigator.InvestigateAsync(trigger: null, automatic: false, MemoryLimitBytes, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stateLock?.Dispose();
            _investigator.Dispose();
            _metrics.Dispose();
            _stopping.Dispose();
        }
    }

    private static T[] CopyLatest<T>(SampleRing<T> ring, int maxCount)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        var buffer = new T[Math.Min(maxCount, ring.Count)];
        var copied = ring.CopyLatest(buffer);
        return copied == buffer.Length ? buffer : buffer.AsSpan(0, copied).ToArray();
    }

    private SignalChannel CreateChannel(string signal) => new(
        signal,
        new MultiResolutionSeries(_detectorSettings.BucketWidths, _detectorSettings.BucketCapacity),
        _components.CreateEvaluator(signal, _detectorSettings),
        new LeakVerdict { Signal = signal, State = LeakState.InsufficientData, EvaluatedAt = _startedAt, Since = _startedAt, Reason = "No evaluation yet." });
}
