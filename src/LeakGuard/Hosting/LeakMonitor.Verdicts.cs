using LeakGuard.Hosting;
using LeakGuard.Investigation;

namespace LeakGuard;

/// <content>What happens when a signal changes state: stream, logs, event, detection count, automatic investigation.</content>
public sealed partial class LeakMonitor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _episodeStarts = new(StringComparer.Ordinal);
    private Task _autoInvestigation = Task.CompletedTask;

    private static readonly string[] ResidentMemorySignals = [LeakSignals.ProcessMemory, LeakSignals.NativeMemory];

    private static bool IsManagedMemory(string signal) => signal is LeakSignals.ManagedHeap or LeakSignals.Gen2 or LeakSignals.Loh;

    private static string Describe(TimeSpan? timeToLimit) =>
        timeToLimit is { } t ? t.ToString("c", System.Globalization.CultureInfo.InvariantCulture) : "unknown";

    private void OnStateChanged(LeakVerdict previous, LeakVerdict verdict, long? limit)
    {
        _broadcaster.Publish(verdict);
        if (verdict.State >= LeakState.Suspected && previous.State < LeakState.Suspected)
        {
            _episodeStarts[verdict.Signal] = verdict.EvaluatedAt;
        }

        switch (verdict.State)
        {
            case LeakState.Suspected when previous.State < LeakState.Suspected:
                Log.LeakSuspected(_logger, verdict.Signal, verdict.GrowthRatePerSecond, verdict.PValue, verdict.GrowthSinceBaseline, Describe(verdict.TimeToLimit), verdict.Reason);
                MaybeInvestigate(verdict, limit);
                break;
            case LeakState.Leaking:
                _readings.Detections.AddOrUpdate(verdict.Signal, 1, static (_, n) => n + 1);
                LogLeaking(verdict);
                RaiseLeakDetected(verdict);
                if (previous.State < LeakState.Suspected)
                {
                    MaybeInvestigate(verdict, limit);
                }

                break;
            case LeakState.Stable or LeakState.InsufficientData when previous.State >= LeakState.Suspected:
                Log.LeakCleared(_logger, verdict.Signal, verdict.State, verdict.Reason);
                break;
        }
    }

    private void LogLeaking(LeakVerdict verdict)
    {
        var top = ReportFor(verdict)?.GrowingTypes is { Count: > 0 } types ? types[0] : null;
        var root = top?.RetentionPaths is { Count: > 0 } paths ? paths[0].Root : null;
        Log.LeakDetected(
            _logger,
            verdict.Signal,
            verdict.GrowthRatePerSecond,
            Describe(verdict.TimeToLimit),
            top?.Type ?? "unknown (no investigation yet)",
            root ?? "unknown",
            verdict.Reason);
    }

    private void RaiseLeakDetected(LeakVerdict verdict)
    {
        var handlers = LeakDetected;
        if (handlers is null)
        {
            return;
        }

        var args = new LeakDetectedEventArgs(verdict, ReportFor(verdict));
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
            var sameLeak = report.Signal == verdict.Signal || (IsManagedMemory(report.Signal) && IsManagedMemory(verdict.Signal));
            if (sameLeak && report.DetectedAt >= episodeStart)
            {
                return report;
            }
        }

        return null;
    }

    private void MaybeInvestigate(LeakVerdict verdict, long? limit)
    {
        if (_options.Snapshots.Mode != SnapshotMode.OnSuspicion || !IsManagedMemory(verdict.Signal)
            || _investigator.IsRunning || !_autoInvestigation.IsCompleted)
        {
            return;
        }

        foreach (var channel in _channels.Values)
        {
            // Another managed signal already suspected: this suspicion belongs to the same episode, already investigated.
            if (channel.Signal != verdict.Signal && IsManagedMemory(channel.Signal) && channel.Verdict.State >= LeakState.Suspected)
            {
                return;
            }
        }

        Log.InvestigationStarted(_logger, verdict.Signal, _options.Snapshots.Delay);
        NoteSelfDisturbance(_time.GetUtcNow());
        var token = _stopping.Token;
        _autoInvestigation = Task.Run(() => InvestigateInBackgroundAsync(verdict, limit, token), CancellationToken.None);
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
