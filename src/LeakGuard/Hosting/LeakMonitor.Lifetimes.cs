using LeakGuard.Formatting;
using LeakGuard.Hosting;

namespace LeakGuard;

/// <content>
/// Across lifetimes (issue 21, item 4): each lifetime leaves a summary in <c>leakguard-lifetimes.json</c> (written at start,
/// at most every 10 s while it runs, on verdict changes and at stop, so a killed process leaves one); the next start
/// completes the previous one with its restart reason and judges the run of lifetimes: <c>restart_cadence</c>.
/// </content>
public sealed partial class LeakMonitor
{
    private LifetimeStore? _lifetimeStore;
    private LifetimeRecorder? _lifetimeRecorder;
    private List<LifetimeSummary> _pastLifetimes = [];
    private CadenceFinding? _cadence;
    private DateTimeOffset _cadenceCheckedAt;

    /// <summary>Gets the earlier lifetimes as completed at start, oldest first (tests).</summary>
    internal IReadOnlyList<LifetimeSummary> PastLifetimes => _pastLifetimes;

    /// <summary>Reads the recorded lifetimes and starts this one's summary (restart awareness is on: the directory is ours).</summary>
    /// <param name="directory">The state directory.</param>
    private void StartLifetime(string directory)
    {
        _lifetimeStore = new LifetimeStore(directory, _logger);
        _pastLifetimes = _lifetimeStore.Read();
        _lifetimeRecorder = new LifetimeRecorder(_startedAt, _options.SampleInterval);
        _channels[LeakSignals.RestartCadence] = new SignalChannel(
            LeakSignals.RestartCadence,
            new Buffering.MultiResolutionSeries(_detectorSettings.BucketWidths, _detectorSettings.BucketCapacity),
            new RestartCadenceEvaluator(),
            new LeakVerdict
            {
                Signal = LeakSignals.RestartCadence,
                State = LeakState.InsufficientData,
                EvaluatedAt = _startedAt,
                Since = _startedAt,
                Reason = "Judged at the first sample from the recorded lifetimes.",
            });
        PublishVerdicts();
        PersistLifetimes(_startedAt, force: true);
    }

    /// <summary>
    /// At the first sample, once the previous lifetime's reason is known: completes its summary (reason, the restart record's
    /// later last sighting and utilisation) and judges the run of lifetimes.
    /// </summary>
    /// <param name="reason">How the previous instance ended, or <see langword="null"/> on a first start.</param>
    /// <param name="now">The step's time.</param>
    private void JudgeLifetimes(string? reason, DateTimeOffset now)
    {
        if (_lifetimeStore is null)
        {
            return;
        }

        CompletePreviousLifetime(reason);
        SeedPriorFloors();
        var finding = RestartCadence.Evaluate(_pastLifetimes);
        _cadence = finding;
        var verdict = finding.ToVerdict(now);
        if (finding.LimitBytes > 0 && finding.Limit is { } limit)
        {
            verdict = verdict.WithLimit(finding.LimitBytes, limit, "lifetime growth");
        }

        SetCadenceVerdict(verdict);
        PersistLifetimes(now, force: true);
    }

    private void CompletePreviousLifetime(string? reason)
    {
        var previous = _previousState;
        var matched = false;
        for (var i = 0; i < _pastLifetimes.Count; i++)
        {
            var lifetime = _pastLifetimes[i];
            if (lifetime.Reason is not null)
            {
                continue;
            }

            if (previous is not null && reason is not null && lifetime.StartedAt == previous.StartedAt)
            {
                matched = true;
                _pastLifetimes[i] = lifetime with
                {
                    Reason = reason,
                    LastSeenAt = previous.LastSeenAt > lifetime.LastSeenAt ? previous.LastSeenAt : lifetime.LastSeenAt,
                    PeakUtilization = Max(lifetime.PeakUtilization, previous.LastUtilization),
                };
            }
            else
            {
                // A lifetime whose end no restart record describes (the record was corrupt, or replaced by hand).
                _pastLifetimes[i] = lifetime with { Reason = RestartReasons.Unknown };
            }
        }

        if (!matched && previous is not null && reason is not null && previous.StartedAt != default)
        {
            // Killed before its first lifetimes write: what its restart record says (no floors, so it does not count as grown).
            _pastLifetimes.Add(new LifetimeSummary
            {
                ProcessId = previous.ProcessId,
                StartedAt = previous.StartedAt,
                LastSeenAt = previous.LastSeenAt,
                Reason = reason,
                PeakUtilization = previous.LastUtilization,
                Limit = previous.LastLimit,
            });
            _pastLifetimes.Sort((a, b) => a.StartedAt.CompareTo(b.StartedAt));
        }

        static double Max(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
    }

    /// <summary>The earlier lifetimes' hourly floors of a memory signal within <see cref="LifetimeStore.HourlyRetention"/> before this start, oldest first.</summary>
    /// <param name="signal">The signal.</param>
    /// <returns>The floors (empty without earlier lifetimes or hourly floors).</returns>
    internal List<PriorFloor> PriorFloors(string signal)
    {
        var floors = new List<PriorFloor>();
        var since = _startedAt - LifetimeStore.HourlyRetention;
        foreach (var lifetime in _pastLifetimes)
        {
            foreach (var s in lifetime.Signals)
            {
                if (s.Signal != signal)
                {
                    continue;
                }

                for (var i = 0; i < s.HourlyFloors.Count; i++)
                {
                    var hour = s.HourlyFrom.AddHours(i);
                    if (hour >= since && hour < _startedAt && double.IsFinite(s.HourlyFloors[i]))
                    {
                        floors.Add(new PriorFloor(hour, s.HourlyFloors[i], lifetime.StartedAt));
                    }
                }
            }
        }

        return floors;
    }

    private void SeedPriorFloors()
    {
        foreach (var channel in _channels.Values)
        {
            if (LeakSignals.IsMemorySignal(channel.Signal) && PriorFloors(channel.Signal) is { Count: > 0 } floors)
            {
                channel.Evaluator.SeedPriorFloors(floors);
            }
        }
    }

    private void SetCadenceVerdict(LeakVerdict verdict)
    {
        if (!_channels.TryGetValue(LeakSignals.RestartCadence, out var channel))
        {
            return;
        }

        var previous = channel.Verdict;
        channel.Verdict = verdict;
        if (previous.State != verdict.State)
        {
            OnStateChanged(previous, verdict, MemoryLimitBytes);
        }

        PublishVerdicts();
    }

    /// <summary>Logs the cadence (EventId 55).</summary>
    private void LogRestartCadence()
    {
        if (_cadence is not { State: LeakState.Leaking } c || !_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Error))
        {
            return;
        }

        var lengths = RestartCadence.Span(c.Shortest, c.Longest);
        var growth = double.IsFinite(c.GrowthPerLifetime) ? Readable.Bytes(c.GrowthPerLifetime) : "unknown";
        var cadence = Readable.Duration(c.Cadence);
        var path = _lifetimeStore?.FilePath ?? string.Empty;
        Log.RestartCadence(_logger, c.Run.Count, c.Died, lengths, growth, cadence, c.Signature ?? "none", path);
    }

    /// <summary>Records this step's utilisation and memory readings in the lifetime's summary (allocation-free).</summary>
    private void ObserveLifetime(DateTimeOffset now, MemoryBudget? binding, int readings)
    {
        if (_lifetimeRecorder is not { } recorder)
        {
            return;
        }

        if (binding is { } b)
        {
            recorder.ObserveUtilization(now, b.Utilization, b.LimitBytes, b.Limit);
        }

        for (var i = 0; i < readings; i++)
        {
            recorder.ObserveSignal(now, _readingBuffer[i].Signal, _readingBuffer[i].Value);
        }

        ClearCadenceIfOutlived(now);
    }

    /// <summary>
    /// A lifetime that outlives <see cref="RestartCadence.ClearFactor"/> times the run's longest without growing (a fix was
    /// deployed, the load changed) is no longer on the cadence: the verdict turns Stable. Checked at most every 10 s.
    /// </summary>
    private void ClearCadenceIfOutlived(DateTimeOffset now)
    {
        if (_cadence is not { State: LeakState.Leaking } c || _lifetimeRecorder is not { } recorder
            || now - _startedAt < c.Longest * RestartCadence.ClearFactor || now - _cadenceCheckedAt < LifetimeStore.WriteInterval)
        {
            return;
        }

        _cadenceCheckedAt = now;
        if (recorder.Grew())
        {
            return;
        }

        _cadence = c with { State = LeakState.Stable };
        SetCadenceVerdict(new LeakVerdict
        {
            Signal = LeakSignals.RestartCadence,
            State = LeakState.Stable,
            EvaluatedAt = now,
            Since = now,
            Horizon = c.Cadence,
            Reason = $"This lifetime has lived {Readable.Duration(now - _startedAt)}, more than {RestartCadence.ClearFactor:0} times the longest of the last {c.Run.Count} ({Readable.Duration(c.Longest)}), without growing: no longer restarting every ~{Readable.Duration(c.Cadence)}.",
        });
    }

    /// <summary>Writes the lifetimes when due (forced at start, at stop and on a verdict change).</summary>
    private void PersistLifetimes(DateTimeOffset now, bool force)
    {
        if (_lifetimeStore is not { } store || _lifetimeRecorder is not { } recorder || (!force && !store.Due(now)))
        {
            return;
        }

        GrowingSignature(out var type, out var signature);
        var lifetimes = new List<LifetimeSummary>(_pastLifetimes.Count + 1);
        lifetimes.AddRange(_pastLifetimes);
        lifetimes.Add(recorder.Summarize(now, _readings.Verdicts, type, signature));
        store.Write(now, lifetimes, force);
    }

    /// <summary>The top growing type of this lifetime's latest report, and its signature.</summary>
    private void GrowingSignature(out string? type, out string? signature)
    {
        type = null;
        signature = null;
        var reports = _investigator.Reports;
        for (var i = reports.Count - 1; i >= 0; i--)
        {
            if (reports[i].DetectedAt >= _startedAt && reports[i].GrowingTypes is { Count: > 0 } growing)
            {
                type = growing[0].Type;
                signature = growing[0].Signature;
                return;
            }
        }
    }
}
