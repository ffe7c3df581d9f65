using LeakGuard.Formatting;
using LeakGuard.Hosting;
using LeakGuard.Investigation;
using LeakGuard.Sources;

namespace LeakGuard;

/// <content>What happens when a signal changes state: stream, logs, event, detection count, automatic investigation.</content>
public sealed partial class LeakMonitor
{
    /// <summary>A suspected leak is investigated early only while its snapshot would pause for under this share of <c>Snapshots:MaxPause</c>.</summary>
    private const int SuspectedPauseDivisor = 5;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _episodeStarts = new(StringComparer.Ordinal);
    private Task _autoInvestigation = Task.CompletedTask;

    /// <summary>Gets the latest automatic investigation (tests wait for it).</summary>
    internal Task AutomaticInvestigation => _autoInvestigation;
    private (string Signal, long? Limit)? _pendingInvestigation;

    // The managed signals whose current episode (Suspected or Leaking) already started an investigation.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _investigatedEpisodes = new(StringComparer.Ordinal);

    // The signals that entered Leaking before their episode had a report, with that verdict: when the report arrives,
    // LeakDetected is raised again with it (and log 14 gives its signature).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LeakVerdict> _awaitingReport = new(StringComparer.Ordinal);

    private static readonly string[] ResidentMemorySignals = [LeakSignals.ProcessMemory, LeakSignals.NativeMemory];

    private static bool IsManagedMemory(string signal) => signal is LeakSignals.ManagedHeap or LeakSignals.Gen2 or LeakSignals.Loh;

    // One leak moves several signals of a kind: the managed ones together; RSS, native memory and threads together (a
    // thread's stack is resident memory, measured: the zoo's thread leak made process_memory Leaking first). One
    // investigation serves them, and its report is the episode's for each.
    private static bool SameMemory(string a, string b) =>
        (IsManagedMemory(a) && IsManagedMemory(b)) || (LeakInvestigator.IsNativeSignal(a) && LeakInvestigator.IsNativeSignal(b));
    // Generated code leaves runtime objects on the heap, and the report names the generated assemblies beside them.
    private static bool IsInvestigated(string signal) => IsManagedMemory(signal) || signal == LeakSignals.LoadedAssemblies;

    /// <summary>The time to limit and the limit it is projected to ("2 min to the GC heap limit (384 MiB)").</summary>
    private static string Describe(LeakVerdict verdict) =>
        verdict.TimeToLimit is not { } t ? "unknown"
        : verdict is { LimitBytes: { } bytes, Limit: { } limit } ? $"{Readable.Duration(t)} to the {LimitNames.Describe(limit)} ({Readable.Bytes(bytes)}, {verdict.Usage})"
        : Readable.Duration(t);

    private static string RateOf(LeakVerdict verdict) => Readable.Rate(verdict.GrowthRatePerSecond, LeakSignals.GrowsInBytes(verdict.Signal));

    private void OnStateChanged(LeakVerdict previous, LeakVerdict verdict, long? limit)
    {
        _broadcaster.Publish(verdict);
        _persistNow = true;
        if (verdict.State >= LeakState.Suspected && previous.State < LeakState.Suspected)
        {
            _episodeStarts[verdict.Signal] = verdict.EvaluatedAt;
        }

        switch (verdict.State)
        {
            case LeakState.Suspected when previous.State < LeakState.Suspected:
                Log.LeakSuspected(_logger, verdict.Signal, RateOf(verdict), verdict.PValue, Readable.Amount(verdict.GrowthSinceBaseline, LeakSignals.IsMemorySignal(verdict.Signal)), Describe(verdict), verdict.Reason);

                // A suspicion may still clear: snapshot it early only while the pause is small; a confirmed leak waits for nothing.
                if (PauseSmallEnoughForASuspicion())
                {
                    MaybeInvestigate(verdict, limit);
                }

                break;
            case LeakState.Leaking:
                _readings.Detections.AddOrUpdate(verdict.Signal, 1, static (_, n) => n + 1);
                var report = ReportFor(verdict);
                var awaiting = report is null && MayBeInvestigated(verdict);
                if (verdict.Signal == LeakSignals.RestartCadence)
                {
                    LogRestartCadence();
                }
                else
                {
                    var finding = Finding.Of(verdict, report);
                    Log.LeakDetected(_logger, verdict.Signal, RateOf(verdict), Describe(verdict), finding.TopType, finding.Root, finding.AllocatedAt, finding.Pattern, awaiting ? "none yet (log 14 gives it when the investigation's report arrives)" : finding.Signature, verdict.Reason);
                }

                RaiseLeakDetected(verdict, report);
                if (awaiting)
                {
                    _awaitingReport[verdict.Signal] = verdict;
                }
                else
                {
                    _awaitingReport.TryRemove(verdict.Signal, out _);
                }

                if (previous.State < LeakState.Leaking && !_investigatedEpisodes.ContainsKey(verdict.Signal))
                {
                    MaybeInvestigate(verdict, limit);
                }

                break;
            case LeakState.Stable or LeakState.InsufficientData when previous.State >= LeakState.Suspected:
                _investigatedEpisodes.TryRemove(verdict.Signal, out _);
                _awaitingReport.TryRemove(verdict.Signal, out _);
                Log.LeakCleared(_logger, verdict.Signal, verdict.State, verdict.Reason);
                break;
        }
    }

    /// <summary>Gets whether an automatic investigation may bring this leak's report (managed, generated code, native, retained objects).</summary>
    private bool MayBeInvestigated(LeakVerdict verdict) =>
        _options.Snapshots.Mode == SnapshotMode.OnSuspicion
        && (IsInvestigated(verdict.Signal) || LeakInvestigator.IsNativeSignal(verdict) || verdict.Signal == LeakSignals.RetainedObjects);

    /// <summary>
    /// Raises <see cref="LeakDetected"/> again, and writes log 14, for each leak that entered Leaking before its episode's
    /// report existed and whose report has arrived since: the signature and the pattern reach the handlers with it.
    /// Runs once per sampling step on the loop's thread.
    /// </summary>
    private void AnnounceArrivedReports()
    {
        if (_awaitingReport.IsEmpty)
        {
            return;
        }

        foreach (var (signal, verdict) in _awaitingReport.ToArray())
        {
            if (ReportFor(verdict) is not { } report || !_awaitingReport.TryRemove(signal, out _))
            {
                continue;
            }

            var finding = Finding.Of(verdict, report);
            Log.LeakReportArrived(_logger, signal, finding.TopType, finding.Root, finding.AllocatedAt, finding.Pattern, finding.Signature);
            RaiseLeakDetected(verdict, report);
        }
    }

    /// <summary>What log 11 and log 14 say of a leak's report: its top growing type, holder, allocation site, pattern and signature.</summary>
    private readonly record struct Finding(string TopType, string Root, string AllocatedAt, string Pattern, string Signature)
    {
        public static Finding Of(LeakVerdict verdict, LeakReport? report)
        {
            var top = report?.GrowingTypes is { Count: > 0 } types ? types[0] : null;
            var root = top?.RetentionPaths is { Count: > 0 } paths ? paths[0].Root : null;
            var generated = verdict.Signal == LeakSignals.LoadedAssemblies ? GeneratedAssemblies(report) : null;
            return new Finding(
                top?.Type ?? generated?.Names ?? (report?.Native is { } native ? $"none (native evidence: {native.Finding})" : "unknown (no investigation yet)"),
                root ?? "unknown",
                top is not null && LeakReportText.AllocatedAt(top) is { Length: > 0 } site ? ", allocated at " + site : string.Empty,
                ((report is not null ? KnownPatterns.Explain(report)?.Pattern : null) ?? generated?.Pattern) is { } pattern
                    ? $" (known pattern {pattern.Id}: {pattern.Fix})"
                    : string.Empty,
                top?.Signature ?? "none");
        }
    }

    // Without a report yet, the loaded-assembly leak still names what is being generated (the tracker remembers the newest).
    private static (string Names, KnownPattern? Pattern)? GeneratedAssemblies(LeakReport? report)
    {
        var newest = report?.LoadedAssemblies?.Newest ?? LoadedAssemblyTracker.Shared.NewestDynamic();
        if (newest.Count == 0)
        {
            return null;
        }

        return ("generated assemblies (newest " + LeakReportText.Names(newest) + ")", KnownPatterns.MatchAssemblies(newest));
    }

    private void RaiseLeakDetected(LeakVerdict verdict, LeakReport? report)
    {
        var handlers = LeakDetected;
        if (handlers is null)
        {
            return;
        }

        var args = new LeakDetectedEventArgs(verdict, report);
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<LeakDetectedEventArgs>)handler)(this, args);
            }
#pragma warning disable CA1031 // A user's handler must never break the monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, ex);
            }
        }
    }

    /// <summary>
    /// The latest report of this leak's episode: an automatic investigation of this signal (or, for managed memory, of
    /// a managed signal, which investigate once for all) that began when the episode did or later. A manual
    /// investigation or another signal's report says nothing about this leak.
    /// </summary>
    private LeakReport? ReportFor(LeakVerdict verdict)
    {
        if (!_episodeStarts.TryGetValue(verdict.Signal, out var episodeStart))
        {
            return null;
        }

        var reports = _investigator.Reports;
        for (var i = reports.Count - 1; i >= 0; i--)
        {
            var report = reports[i];
            var sameLeak = report.Signal == verdict.Signal || SameMemory(report.Signal, verdict.Signal);
            if (sameLeak && report.DetectedAt >= episodeStart)
            {
                return report;
            }
        }

        return null;
    }

    private void MaybeInvestigate(LeakVerdict verdict, long? limit)
    {
        if (_options.Snapshots.Mode != SnapshotMode.OnSuspicion || !(IsInvestigated(verdict.Signal) || LeakInvestigator.IsNativeSignal(verdict)))
        {
            return;
        }

        if (_investigator.IsRunning || !_autoInvestigation.IsCompleted)
        {
            // One investigation at a time: a suspicion that comes while another runs is taken up when it ends (in a managed
            // leak, resident memory is often suspected first; its native investigation must not swallow the managed one).
            _pendingInvestigation = (verdict.Signal, limit);
            return;
        }

        foreach (var channel in _channels.Values)
        {
            // Native evidence is for growth without managed growth: while a managed signal rises, the managed
            // investigation explains the resident memory too (and a native one first would hold it off by the cooldown).
            if (LeakInvestigator.IsNativeSignal(verdict) && IsManagedMemory(channel.Signal) && channel.Verdict.State >= LeakState.Suspected)
            {
                return;
            }

            // Another signal of the same memory already suspected and investigated: this suspicion belongs to the same episode.
            if (channel.Signal != verdict.Signal && SameMemory(channel.Signal, verdict.Signal) && channel.Verdict.State >= LeakState.Suspected
                && _investigatedEpisodes.ContainsKey(channel.Signal))
            {
                return;
            }
        }

        _investigatedEpisodes[verdict.Signal] = true;
        Log.InvestigationStarted(_logger, verdict.Signal, _options.Snapshots.Delay);
        NoteSelfDisturbance(_time.GetUtcNow());
        var token = _stopping.Token;
        _autoInvestigation = Task.Run(() => InvestigateInBackgroundAsync(verdict, limit, token), CancellationToken.None);
    }

    // A suspicion may still clear: it starts a snapshot only while the pause is small; a confirmed leak waits for nothing.
    private bool PauseSmallEnoughForASuspicion() => _investigator.EstimatedPause <= _options.Snapshots.MaxPause / SuspectedPauseDivisor;

    /// <summary>Starts the investigation a suspicion asked for while another ran, once none runs, if the signal is still suspected and uninvestigated.</summary>
    private void StartPendingInvestigation()
    {
        if (_pendingInvestigation is not { } pending || _investigator.IsRunning || !_autoInvestigation.IsCompleted)
        {
            return;
        }

        _pendingInvestigation = null;
        if (_channels.TryGetValue(pending.Signal, out var channel) && channel.Verdict is { State: >= LeakState.Suspected } verdict
            && !_investigatedEpisodes.ContainsKey(pending.Signal)
            && (verdict.State == LeakState.Leaking || PauseSmallEnoughForASuspicion()))
        {
            MaybeInvestigate(verdict, pending.Limit);
        }
    }

    private async Task InvestigateInBackgroundAsync(LeakVerdict trigger, long? limit, CancellationToken cancellationToken)
    {
        try
        {
            var report = await _investigator.InvestigateAsync(trigger, automatic: true, limit, cancellationToken).ConfigureAwait(false);
            if (report is null)
            {
                Log.InvestigationSkipped(_logger, trigger.Signal);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // An investigation failure must never reach the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.InvestigationFailed(_logger, trigger.Signal, ex);
        }
    }
}
