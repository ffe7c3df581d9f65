using LeakGuard.Detection;
using LeakGuard.Formatting;
using LeakGuard.Hosting;
using LeakGuard.Sources;
using LeakGuard.Telemetry;

namespace LeakGuard;

/// <content>One sampling step: probe → rings → signal series → evaluation on bucket close → limit, pressure, recycle, restart record.</content>
public sealed partial class LeakMonitor
{
    private MemorySample? _previousSample;
    private long _fullCollectionIndex;
    private DateTimeOffset _fullCollectionSeenAt;
    private DateTimeOffset? _fullCollectionRequestedAt;
    private long _gcRead;
    private bool _hadSample;
    private bool _restartClassified;
    private bool _persistNow;
    private LeakVerdict? _urgentLeak;
    private long _selfDisturbedTicks = long.MinValue;
    private long _appliedDisturbanceTicks = long.MinValue;
    private int _snapshotSinceLastStep;
    private bool _managedHeld;
    private long _managedHoldStartIndex = long.MaxValue;
    private long _managedReleaseIndex = long.MaxValue;
    private DateTimeOffset _managedHoldEndedAt;

    /// <summary>Runs one sampling step. Called by the loop every <c>SampleInterval</c>; tests call it directly.</summary>
    internal void Tick()
    {
        var probe = Volatile.Read(ref _probe);
        if (probe is null)
        {
            return;
        }

        // Coalescing: a GC source that stopped observing after a wake-up too soon after its arming observes
        // the next collection again (at least one GC sample per step while collections run).
        Volatile.Read(ref _gcSource)?.EnsureArmed();
        var now = _time.GetUtcNow();
        DrainGcSamples();
        if (!probe.TryRead(now, out var sample))
        {
            if (_hadSample)
            {
                _readings.AddDroppedMemorySamples(1);
            }

            return;
        }

        _hadSample = true;
        _memoryRing.Write(sample);
        var limits = MemoryLimits.Resolve(_options.MemoryLimitBytes, sample, GcCommitGrain.Bytes);
        var binding = limits.Binding;
        var utilization = binding?.Utilization ?? double.NaN;
        var processLimit = limits.Process?.LimitBytes;
        _readings.MemoryLimitBytes = binding?.LimitBytes ?? -1;
        _readings.LimitName = binding?.Limit;
        _readings.UsageName = binding?.Usage;
        _readings.ProcessLimitBytes = processLimit ?? -1;
        _readings.Utilization = utilization;
        _readings.NativeBytes = SignalValues.NativeBytes(sample);
        if (_readings.Assemblies is var kinds && (kinds.Dynamic != sample.DynamicAssemblyCount || kinds.Collectible != sample.CollectibleAssemblyCount))
        {
            _readings.Assemblies = new AssemblyKinds(sample.DynamicAssemblyCount, sample.CollectibleAssemblyCount);
        }
        ClassifyRestartOnce(sample);
        var fullCollectionBefore = _fullCollectionIndex;
        if (sample.FullCollectionIndex > 0 && sample.FullCollectionIndex != _fullCollectionIndex)
        {
            _fullCollectionIndex = sample.FullCollectionIndex;
            _fullCollectionSeenAt = now;
        }

        var retained = CheckRetention(now);
        var count = SignalValues.Compute(sample, _previousSample, retained, _readingBuffer);
        count = ReadGauges(count);
        ObserveLifetime(now, binding, count);
        var warm = now - _startedAt >= _options.WarmUp;
        RestartDisturbedSignals(now, fullCollectionBefore);
        var evaluated = false;
        for (var i = 0; i < count; i++)
        {
            evaluated |= Feed(now, _readingBuffer[i], sample, limits, warm);
        }

        ConfirmManagedRises(now);
        StartPendingInvestigation();
        AnnounceArrivedReports();
        evaluated |= ForgetUnwatchedGauges();
        if (evaluated)
        {
            PublishVerdicts();
        }

        if (binding is { } known)
        {
            CheckPressure(known, sample);
            CheckRecycle(now, utilization, known.LimitBytes);
        }

        _persistNow |= TrackGcLimitHit(limits);
        PersistState(now, binding, sample.ContainerOomKillCount);
        _previousSample = sample;
    }

    /// <summary>Records that LeakGuard's own heap snapshot or investigation was running at <paramref name="at"/> (any thread).</summary>
    private void NoteSelfDisturbance(DateTimeOffset at)
    {
        long seen;
        do
        {
            seen = Volatile.Read(ref _selfDisturbedTicks);
            if (at.UtcTicks <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _selfDisturbedTicks, at.UtcTicks, seen) != seen);
    }

    /// <summary>
    /// A heap snapshot's event session takes tens of MB of native buffers, and the allocator keeps part of it resident:
    /// the signals read from resident memory would see LeakGuard's own footprint as growth (the leak zoo's lru-cache
    /// control reached Leaking on process_memory this way). They restart their warm-up after every investigation.
    /// </summary>
    /// <param name="now">The step's time.</param>
    /// <param name="fullCollectionBefore">The last full collection's index before this step's sample (a collection this sample
    /// shows first may be an investigation's that started since the last step).</param>
    private void RestartDisturbedSignals(DateTimeOffset now, long fullCollectionBefore)
    {
        // A snapshot taken since the last step counts even when its investigation ended in between.
        var snapshot = Interlocked.Exchange(ref _snapshotSinceLastStep, 0) != 0;
        var running = _investigator.IsRunning || !_autoInvestigation.IsCompleted;
        if (running)
        {
            NoteSelfDisturbance(now);
        }

        HoldManagedSignals(now, running || snapshot, fullCollectionBefore);

        var disturbed = Volatile.Read(ref _selfDisturbedTicks);
        if (disturbed == _appliedDisturbanceTicks)
        {
            return;
        }

        _appliedDisturbanceTicks = disturbed;
        var at = new DateTimeOffset(disturbed, TimeSpan.Zero);
        foreach (var signal in ResidentMemorySignals)
        {
            if (_channels.TryGetValue(signal, out var channel))
            {
                channel.Evaluator.Restart(at);
            }
        }
    }

    /// <summary>
    /// LeakGuard's own investigation allocates on the host's managed heap: the first snapshot's graph, kept until the
    /// second, the allocation reader's state, and the garbage both make. Until a full collection after the investigation,
    /// the managed signals count that memory (the leak zoo's id-registry: +50 MB within seven seconds of the first
    /// snapshot, then flat until the next full collection, so the rise before and after no longer lined up and its
    /// managed_heap never reached Leaking). Those readings are not the application's: the managed signals skip them and
    /// hold their verdicts, and the full collections the snapshots run are not taken for the application's live bytes.
    /// When the investigation ends the monitor asks the runtime for a (background) full collection; the first full
    /// collection after the end releases the signals, or a detection window does when the runtime runs none.
    /// </summary>
    private void HoldManagedSignals(DateTimeOffset now, bool running, long fullCollectionBefore)
    {
        if (running)
        {
            if (!_managedHeld || _managedReleaseIndex != long.MaxValue)
            {
                _managedHoldStartIndex = _managedHeld ? _managedHoldStartIndex : fullCollectionBefore;
                _managedHeld = true;
                _managedReleaseIndex = long.MaxValue;
            }

            return;
        }

        if (!_managedHeld)
        {
            return;
        }

        if (_managedReleaseIndex == long.MaxValue)
        {
            _managedReleaseIndex = _fullCollectionIndex;
            _managedHoldEndedAt = now;
            _fullCollectionRequestedAt = now;
            Log.OwnMemoryCollectionRequested(_logger);
            try
            {
                _components.RequestFullCollection();
            }
#pragma warning disable CA1031 // A request the runtime refuses changes nothing: the hold ends after a detection window.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            // Like any full collection, it moves resident memory: the resident-memory signals restart their warm-up.
            NoteSelfDisturbance(now);
            return;
        }

        if (_fullCollectionIndex > _managedReleaseIndex || now - _managedHoldEndedAt >= _options.Detection.Window)
        {
            _managedHeld = false;
        }
    }

    /// <summary>Whether the last full collection is one LeakGuard's own investigation ran or overlapped (see <see cref="HoldManagedSignals"/>).</summary>
    private bool OwnFullCollection() => _fullCollectionIndex > _managedHoldStartIndex && _fullCollectionIndex <= _managedReleaseIndex;

    private void DrainGcSamples()
    {
        // What is new since the last step, oldest first; what the listener overwrote before this step got to it
        // is counted as dropped. (A newest-first copy sized from an earlier TotalWritten would skip or repeat the
        // samples written in between.)
        var copied = _gcRing.CopySince(_gcRead, _gcBuffer, out var first);
        if (first > _gcRead)
        {
            _readings.AddDroppedGcSamples(first - _gcRead);
        }

        _gcRead = first + copied;
        for (var i = copied - 1; i >= 0; i--)
        {
            if (_gcBuffer[i].Generation == 2 && _gcBuffer[i].HeapSizeAfterBytes > 0)
            {
                _readings.LiveHeapBytes = _gcBuffer[i].HeapSizeAfterBytes;
                break;
            }
        }
    }

    private int ReadGauges(int count)
    {
        foreach (var (name, gauge) in _gauges.Gauges)
        {
            if (count >= _readingBuffer.Length)
            {
                break;
            }

            try
            {
                _readingBuffer[count++] = new SignalReading(name, gauge());
                _failingGauges.Remove(name);
            }
#pragma warning disable CA1031 // A user's gauge must never break the monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                count--;
                if (_failingGauges.Add(name))
                {
                    Log.GaugeFailed(_logger, name, ex);
                }
            }
        }

        return count;
    }

    private bool Feed(DateTimeOffset now, SignalReading reading, in MemorySample sample, in MemoryLimits limits, bool warm)
    {
        var channel = _channels.GetOrAdd(reading.Signal, static (signal, self) => self.CreateChannel(signal), this);
        if (_managedHeld && Array.IndexOf(ManagedSignals, reading.Signal) >= 0)
        {
            return false;
        }

        if (!channel.Series.Add(now, reading.Value) || !warm)
        {
            return false;
        }

        // Each signal is projected to the limit that ends the process for it, in its own terms (issue 21).
        var budget = limits.For(reading.Signal);
        if (reading.Signal == LeakSignals.ProcessMemory)
        {
            channel.Evaluator.SetPartsRising(PartsRising());
        }
        else if (AfterFullCollection(reading.Signal, sample) is { } full && !OwnFullCollection())
        {
            channel.Evaluator.SetFullCollection(_fullCollectionIndex > 0 && full >= 0 ? new FullCollection(_fullCollectionSeenAt, full) : null);
        }

        channel.Evaluator.SetLimitSlack(budget?.SlackBytes ?? 0);
        var verdict = channel.Evaluator.Evaluate(now, channel.Series, budget?.LimitFor(reading.Value));
        if (budget is { } b)
        {
            verdict = verdict.WithLimit(b.LimitBytes, b.Limit, b.Usage);
        }

        var previous = channel.Verdict;
        channel.Verdict = verdict;
        if (previous.State != verdict.State)
        {
            OnStateChanged(previous, verdict, limits.Process?.LimitBytes);
        }

        return true;
    }

    /// <summary>
    /// A managed signal whose rise would raise an alarm or be urgent waits for a full collection to show the growth is live
    /// (the GC may not run one for minutes while the heap grows), and one that beats every bounded shape by urgency's
    /// evidence asks ahead of that (<see cref="SignalDetector.AwaitsFullCollection"/>): ask the runtime for one, at most
    /// once per detection window and never while a heap snapshot runs.
    /// </summary>
    private void ConfirmManagedRises(DateTimeOffset now)
    {
        // A heap snapshot runs its own full collection (and tells it apart by the generation-2 count): never during one.
        if ((_fullCollectionRequestedAt is { } last && now - last < _options.Detection.Window) || _investigator.IsRunning || _managedHeld)
        {
            return;
        }

        foreach (var signal in ManagedSignals)
        {
            if (_channels.TryGetValue(signal, out var channel) && channel.Evaluator.AwaitsFullCollection)
            {
                _fullCollectionRequestedAt = now;
                Log.FullCollectionRequested(_logger, signal);
                try
                {
                    _components.RequestFullCollection();
                }
#pragma warning disable CA1031 // A request the runtime refuses changes nothing: urgency keeps waiting for the GC's own.
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                // The collection moves resident memory (regions decommitted, the GC's committed figure reset): like a heap
                // snapshot, it restarts the resident-memory signals' warm-up (measured: the leak zoo's lru-cache control
                // read it as a native leak).
                NoteSelfDisturbance(now);

                return;
            }
        }
    }

    /// <summary>A managed signal's value after the last full collection (-1 before the first); <see langword="null"/> for other signals.</summary>
    private static long? AfterFullCollection(string signal, in MemorySample sample) => signal switch
    {
        LeakSignals.ManagedHeap => sample.FullCollectionHeapBytes,
        LeakSignals.Gen2 => sample.FullCollectionGen2Bytes,
        LeakSignals.Loh => sample.FullCollectionLohBytes,
        _ => null,
    };

    /// <summary>
    /// Whether a part of process memory (the managed heap, native memory) rises live; see <see cref="PartRises"/>.
    /// </summary>
    private bool? PartsRising()
    {
        bool? rising = null;
        foreach (var part in ProcessMemoryParts)
        {
            if (_channels.TryGetValue(part, out var c) && c.Verdict.State != LeakState.InsufficientData)
            {
                rising = rising == true || PartRises(c.Verdict, c.Evaluator.RisesLive);
            }
        }

        return rising;
    }

    /// <summary>
    /// Whether one part of process memory rises live: its own detector suspects a rise (Suspected or Leaking), its rate
    /// interval lies above zero and, where the evaluator can tell, the rise is material — for the managed heap, confirmed by
    /// full collections (its garbage between them is what ratchets resident memory up). A part that is Stable does not
    /// count even when its latest rate interval lies above zero: in one CI run of the leak zoo's large-object sawtooth (a
    /// tooth of ~14 s against a 5-s window) process memory was called urgent on one tooth, 16 s after the warm-up, while
    /// both parts were Stable — so one of them counted with a Stable verdict.
    /// </summary>
    /// <param name="verdict">The part's latest verdict.</param>
    /// <param name="risesLive">Whether its evaluator found the latest rise material and live; <see langword="null"/> when it cannot tell.</param>
    /// <returns><see langword="true"/> when the part rises live.</returns>
    internal static bool PartRises(LeakVerdict verdict, bool? risesLive) =>
        verdict.State >= LeakState.Suspected && verdict.GrowthRateLowerPerSecond > 0 && risesLive != false;

    private bool ForgetUnwatchedGauges()
    {
        var removed = false;
        if (!_gauges.TakeRemoved())
        {
            return removed;
        }

        foreach (var signal in _channels.Keys)
        {
            if (!IsBuiltIn(signal) && !_gauges.Contains(signal))
            {
                removed |= _channels.TryRemove(signal, out _);
            }
        }

        return removed;
    }

    private static bool IsBuiltIn(string signal) =>
        Array.IndexOf(BuiltInSignals, signal) >= 0 || signal is LeakSignals.RetainedObjects or LeakSignals.RestartCadence;

    private void PublishVerdicts()
    {
        var verdicts = new Dictionary<string, LeakVerdict>(_channels.Count, StringComparer.Ordinal);
        LeakVerdict? urgent = null;
        foreach (var channel in _channels.Values)
        {
            var verdict = channel.Verdict;
            verdicts[channel.Signal] = verdict;
            if (LeakSignals.IsMemorySignal(verdict.Signal) && verdict is { State: LeakState.Leaking, TimeToLimitEarliest: { } earliest }
                && (urgent is null || verdict.EvaluatedAt + earliest < urgent.EvaluatedAt + urgent.TimeToLimitEarliest!.Value))
            {
                urgent = verdict;
            }
        }

        _urgentLeak = urgent;

        _readings.Verdicts = verdicts.AsReadOnly();
    }

    private void CheckPressure(in MemoryBudget binding, in MemorySample sample)
    {
        if (_pressure.Observe(binding.Utilization))
        {
            Log.MemoryPressure(_logger, binding.Utilization, Readable.Bytes(binding.LimitBytes), LimitNames.Describe(binding.Limit), binding.Usage, _options.MemoryPressureThreshold, Readable.Bytes(sample.ResidentSetBytes), Readable.Bytes(sample.ManagedHeapBytes));
        }
    }

    private void CheckRecycle(DateTimeOffset now, double utilization, long limit)
    {
        var since = _recycle.AboveSince;
        var refused = _recycle.Refused;
        if (!_recycle.Observe(now, utilization, _urgentLeak))
        {
            if (!refused && _recycle.Refused)
            {
                Log.RecycleRefused(_logger, utilization, limit);
            }

            return;
        }

        if (_recycle.DecidingLeak is { } leak)
        {
            var rate = RateOf(leak);
            var limitName = leak.Limit is { } name ? LimitNames.Describe(name) : "memory limit";
            var leakLimit = Readable.Bytes(leak.LimitBytes ?? limit);
            var earliest = Readable.Duration(leak.TimeToLimitEarliest!.Value);
            var projected = Describe(leak);
            var horizon = Readable.Duration(_options.Recycle.TimeToLimitHorizon);
            Log.RecyclingBeforeLimit(_logger, leak.Signal, rate, limitName, leakLimit, earliest, projected, horizon, _options.Recycle.ExitCode);
        }
        else
        {
            var evidence = DescribeEvidence();
            var limitText = Readable.Bytes(limit);
            var duration = Readable.Duration(now - (since ?? now));
            Log.Recycling(_logger, _options.Recycle.UtilizationThreshold, limitText, duration, utilization, evidence);
        }

        if (_lifetime is null)
        {
            Log.RecycleUnavailable(_logger, utilization);
            return;
        }

        // A clean exit code would keep a supervisor that restarts only failures (systemd Restart=on-failure) from restarting it.
        _components.SetExitCode(_options.Recycle.ExitCode);
        _lifetime.StopApplication();
    }

    private string DescribeEvidence()
    {
        LeakVerdict? worst = null;
        foreach (var channel in _channels.Values)
        {
            if (LeakSignals.IsMemorySignal(channel.Signal) && channel.Verdict.State >= LeakState.Suspected
                && (worst is null || channel.Verdict.State > worst.State))
            {
                worst = channel.Verdict;
            }
        }

        return worst is null
            ? "no memory signal is suspected of leaking (the working set is too large for the limit)"
            : $"{worst.Signal} is {worst.State}, growing {Readable.Rate(worst.GrowthRatePerSecond, isBytes: true)}";
    }

    private void ClassifyRestartOnce(in MemorySample sample)
    {
        if (_stateStore is null || _restartClassified)
        {
            return;
        }

        _restartClassified = true;
        var reason = RestartClassifier.Classify(_previousState, _previousCorrupt, sample.ContainerOomKillCount);
        JudgeLifetimes(reason, sample.Timestamp);
        if (reason is null)
        {
            return;
        }

        _readings.RestartReason = reason;
        var level = reason is RestartReasons.CleanExit or RestartReasons.Recycled
            ? Microsoft.Extensions.Logging.LogLevel.Information
            : Microsoft.Extensions.Logging.LogLevel.Warning;
        Log.RestartDetected(
            _logger,
            level,
            _previousState?.StartedAt ?? default,
            _previousState?.LastSeenAt ?? default,
            _previousState?.LastUtilization ?? double.NaN,
            reason);
    }

    private void PersistState(DateTimeOffset now, MemoryBudget? binding, long oomKillCount)
    {
        if (_stateStore is null)
        {
            return;
        }

        _currentState = _currentState with
        {
            LastSeenAt = now,
            LastUtilization = binding?.Utilization ?? double.NaN,
            LastLimit = binding?.Limit,
            OomKillCount = oomKillCount,
            OutOfMemory = OutOfMemoryRecorded,
            Alarms = _persistNow ? DescribeAlarms() : _currentState.Alarms,
        };

        // A verdict change or an out-of-memory mark is written at once: the record is what the next start judges by.
        _stateStore.Write(now, _currentState, force: _persistNow);
        PersistLifetimes(now, force: _persistNow);
        _persistNow = false;
    }

    private string? DescribeAlarms()
    {
        var alarms = _channels.Values
            .Where(c => c.Verdict.State >= LeakState.Suspected)
            .Select(c => $"{c.Signal}:{c.Verdict.State}")
            .Order(StringComparer.Ordinal);
        var text = string.Join(',', alarms);
        return text.Length > 0 ? text : null;
    }
}
