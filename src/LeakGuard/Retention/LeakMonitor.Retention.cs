using LeakGuard.Buffering;
using LeakGuard.Hosting;
using LeakGuard.Retention;

namespace LeakGuard;

/// <content>
/// The expected-collection watch in the sampling loop: each step forgets collected objects and counts the retained
/// ones (signal <c>retained_objects</c>, judged by count); crossing the threshold logs the retained types and labels
/// and, with automatic snapshots on, runs one heap snapshot for their retention paths.
/// </content>
public sealed partial class LeakMonitor
{
    private RetentionWatch? _retentionWatch;
    private int _retainedBefore;
    private long _droppedReported;

    /// <summary>Gets the expected-collection watch, or <see langword="null"/> before anything was watched.</summary>
    internal RetentionWatch? RetentionWatch => Volatile.Read(ref _retentionWatch);

    private RetentionOptions RetentionSettings => _options.Retention ?? new RetentionOptions();

    private void WatchForCollection(object target, string label)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(label);
        var watch = Volatile.Read(ref _retentionWatch);
        if (watch is null)
        {
            Interlocked.CompareExchange(ref _retentionWatch, new RetentionWatch(RetentionSettings), null);
            watch = _retentionWatch;
        }

        watch.Add(target, label, _time.GetUtcNow());
    }

    /// <summary>Runs the watch's check for one sampling step.</summary>
    /// <param name="now">The step's time.</param>
    /// <returns>The retained count, or -1 while nothing was ever watched (the signal is then not reported).</returns>
    private long CheckRetention(DateTimeOffset now)
    {
        var watch = Volatile.Read(ref _retentionWatch);
        if (watch is null)
        {
            return -1;
        }

        _channels.GetOrAdd(LeakSignals.RetainedObjects, static (signal, self) => self.CreateRetentionChannel(signal), this);
        var gen2 = _components.Gen2CollectionCount();
        var retained = watch.Check(now, gen2);
        var threshold = RetentionSettings.Threshold;
        if (retained >= threshold && _retainedBefore < threshold)
        {
            OnRetentionThreshold(watch.DescribeRetained(gen2), retained, threshold);
        }

        if (watch.Dropped > _droppedReported)
        {
            _droppedReported = watch.Dropped;
            RetentionLog.WatchFull(_logger, RetentionSettings.MaxWatchedObjects, _droppedReported);
        }

        _retainedBefore = retained;
        return retained;
    }

    private SignalChannel CreateRetentionChannel(string signal) => new(
        signal,
        new MultiResolutionSeries(_detectorSettings.BucketWidths, _detectorSettings.BucketCapacity),
        new RetainedObjectsEvaluator(RetentionSettings.Threshold),
        new LeakVerdict { Signal = signal, State = LeakState.InsufficientData, EvaluatedAt = _startedAt, Since = _startedAt, Reason = "No evaluation yet." });

    private void OnRetentionThreshold(IReadOnlyList<RetainedTypeGroup> groups, int retained, int threshold)
    {
        RetentionLog.ThresholdReached(
            _logger,
            retained,
            threshold,
            string.Join("; ", groups.Select(g => $"{g.Type.FullName} ×{g.Count} ({string.Join(", ", g.Labels)})")));
        if (_options.Snapshots.Mode != SnapshotMode.OnSuspicion)
        {
            RetentionLog.NotInvestigated(_logger, _options.Snapshots.Mode);
            return;
        }

        // The memory investigations' task: one investigation at a time, and StopAsync waits for it.
        if (_investigator.IsRunning || !_autoInvestigation.IsCompleted)
        {
            return;
        }

        RetentionLog.Investigating(_logger);
        var limit = MemoryLimitBytes;
        var token = _stopping.Token;
        _autoInvestigation = Task.Run(() => InvestigateRetainedInBackgroundAsync(groups, limit, token), CancellationToken.None);
    }

    private async Task InvestigateRetainedInBackgroundAsync(IReadOnlyList<RetainedTypeGroup> groups, long? limit, CancellationToken cancellationToken)
    {
        try
        {
            var report = await _investigator.InvestigateRetainedAsync(groups, limit, cancellationToken).ConfigureAwait(false);
            foreach (var type in report?.GrowingTypes ?? [])
            {
                var path = type.RetentionPaths.Count > 0 ? type.RetentionPaths[0] : null;
                RetentionLog.RetainedType(
                    _logger,
                    type.Type,
                    type.CountDelta,
                    string.Join(", ", type.Labels ?? []),
                    path?.Root ?? "an unknown root",
                    path is null ? "?" : string.Join(" → ", path.Path));
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
            RetentionLog.InvestigationFailed(_logger, ex);
        }
    }
}
