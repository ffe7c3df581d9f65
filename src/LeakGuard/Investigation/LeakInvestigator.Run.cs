using System.Globalization;
using LeakGuard.Formatting;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Investigation;

// The investigation itself: safety checks, the two snapshots, the diff and the report.
internal sealed partial class LeakInvestigator
{
    private string? SkipReason(bool automatic, InvestigationKind cooldownKind, long? memoryLimitBytes)
    {
        var snapshots = _options.Snapshots;
        if (snapshots.Mode == SnapshotMode.Off)
        {
            return "heap snapshots are off (Snapshots:Mode = Off).";
        }

        if (automatic && snapshots.Mode != SnapshotMode.OnSuspicion)
        {
            return $"automatic investigations need Snapshots:Mode = OnSuspicion (it is {snapshots.Mode}).";
        }

        var now = _timeProvider.GetUtcNow();
        if (automatic && _lastAutomaticStart[(int)cooldownKind] is { } last && now - last < snapshots.Cooldown)
        {
            return $"cooldown: the last automatic {(cooldownKind == InvestigationKind.Native ? "native" : "managed")} investigation started {(now - last).TotalMinutes:0.#} min ago (Snapshots:Cooldown = {snapshots.Cooldown}).";
        }

        var heap = HeapBytes();
        if (automatic && heap > snapshots.MaxHeapBytes)
        {
            return $"the managed heap ({heap / (1024 * 1024)} MB) exceeds Snapshots:MaxHeapBytes ({snapshots.MaxHeapBytes / (1024 * 1024)} MB); a snapshot would pause the application too long.";
        }

        var objects = EstimateObjects(heap);
        if (automatic && SnapshotBudget.Pause(objects) is var pause && pause > snapshots.MaxPause)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"a snapshot of about {objects / 1e6:0.#} M live objects would pause the application for about {pause.TotalSeconds:0.#} s, more than Snapshots:MaxPause ({snapshots.MaxPause.TotalSeconds:0.###} s).");
        }

        return HeadroomShortfall(objects, memoryLimitBytes) is { } shortfall ? "not enough headroom: " + shortfall + "." : null;
    }

    /// <summary>
    /// Says why a snapshot of <paramref name="objects"/> live objects would not fit under the memory limit, or
    /// <see langword="null"/> when it fits: it needs <see cref="SnapshotBudget.CollectorBytes"/> on top of the working set.
    /// </summary>
    /// <param name="objects">The estimated live objects.</param>
    /// <param name="memoryLimitBytes">The monitor's memory limit, or <see langword="null"/> before its first sample.</param>
    /// <returns>"the snapshot needs about … MB but only … MB are left under the … MB limit", or <see langword="null"/>.</returns>
    private string? HeadroomShortfall(long objects, long? memoryLimitBytes)
    {
        // Before the monitor's first sample it knows no limit: the configured one, else the GC's own view (a container's
        // limit included), still bounds the snapshot.
        var limit = memoryLimitBytes ?? (_options.MemoryLimitBytes is > 0 and var configured ? configured : AvailableMemoryBytes());
        if (limit <= 0)
        {
            return null;
        }

        var needed = SnapshotBudget.CollectorBytes(objects);
        var used = Environment.WorkingSet;
        return used + needed > limit
            ? $"the snapshot needs about {needed / (1024 * 1024)} MB but only {Math.Max(0, limit - used) / (1024 * 1024)} MB are left under the {limit / (1024 * 1024)} MB limit"
            : null;
    }

    private long EstimateObjects(long heapBytes) => SnapshotBudget.EstimateObjects(heapBytes, _lastObjectCount, _lastHeapBytes);

    /// <summary>Gets the estimated pause of a snapshot taken now, from the live objects (the last snapshot's density, else the assumed one).</summary>
    public TimeSpan EstimatedPause => SnapshotBudget.Pause(EstimateObjects(HeapBytes()));

    private async Task<LeakReport?> RunAsync(LeakVerdict? trigger, CancellationToken cancellationToken)
    {
        _resolver.Prepare();
        _ = OwnStaticFields.All;
        var (before, _, censusBefore) = await TakeSummaryAsync(keepGraph: false, cancellationToken, census: true).ConfigureAwait(false);
        var dynamicLoadsBefore = Assemblies.DynamicLoadEvents;
        var heapAtBefore = HeapBytes();
        var delay = _options.Snapshots.Delay;
        var nativeBefore = ReadsNative(trigger) ? NativeReader.Take(_timeProvider.GetUtcNow()) : null;
        InvestigationLog.InvestigationWaiting(_logger, trigger?.Signal ?? LeakReportText.ManualSignal, delay);
        var (recording, missing) = IsNativeSignal(trigger)
            ? (null, $"not recorded for a {trigger!.Signal} leak: its growth is not managed allocations, and the recording's own buffers would move native memory in the window.")
            : await StartRecordingAsync(cancellationToken).ConfigureAwait(false);
        AllocationProfile? profile;
        try
        {
            await WaitForGrowthAsync(heapAtBefore, delay, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The session never outlives the window, also when the investigation is cancelled; then its result is of no use
            // and waiting for it would hold the host's shutdown (see AllocationRecording.Abandon).
            if (cancellationToken.IsCancellationRequested && recording is not null)
            {
                recording.Abandon();
                (profile, missing) = (null, "the investigation was cancelled.");
            }
            else
            {
                (profile, missing) = await StopRecordingAsync(recording, missing, cancellationToken).ConfigureAwait(false);
            }

            recording = null;
        }

        // Read after the recording stopped (its buffers are native memory) and before snapshot B (its session and graph are too).
        var nativeAfter = nativeBefore is null ? null : NativeReader.Take(_timeProvider.GetUtcNow(), nativeBefore);

        // Snapshot A's completion ran this method inline on the stack of the snapshotter's frames, whose stale slots
        // still reference A's graph (measured: snapshot B then counted A's arrays). Yielding unwinds that stack.
        await Task.Yield();

        var (after, graph, censusAfter) = await TakeSummaryAsync(keepGraph: true, cancellationToken, census: true).ConfigureAwait(false);
        var seconds = (after.TakenAt - before.TakenAt).TotalSeconds;
        // A count signal's growth (loaded assemblies) is no amount of bytes to weigh the diff against.
        var bytesTrigger = trigger is not null && LeakSignals.GrowsInBytes(trigger.Signal) ? trigger : null;
        var signalGrowth = (bytesTrigger?.GrowthRatePerSecond ?? 0) * seconds;
        // Without a leaking memory signal to weigh the diff against, the heap's own size sets the noise.
        var noise = bytesTrigger is null ? (long)(after.TotalBytes * HeapDiff.NoiseShareOfHeap) : (long)(signalGrowth * HeapDiff.MaterialShareOfSignal);
        var growth = HeapDiff.Rank(before, after, TopTypes, HeapDiff.MaterialShare, noise);
        // Paths ranked by the instances they gained between the snapshots; only a type whose gain no census saw is followed
        // back from sampled instances of B (a second search of B's graph, so it is run only then).
        string[] types = [.. growth.Select(g => g.Type)];
        var paths = censusBefore is not null && censusAfter is not null
            ? PathCensus.Growth(censusBefore, censusAfter, types)
            : new Dictionary<string, IReadOnlyList<RetentionPath>>(StringComparer.Ordinal);
        if (types.Where(type => !paths.ContainsKey(type)).ToArray() is { Length: > 0 } unexplained)
        {
            foreach (var (type, sampled) in RetentionPathFinder.Find(graph!.Graph, graph.TypeNames, unexplained, own: graph.Own))
            {
                paths[type] = sampled;
            }
        }

        graph = null; // the graph of B is released before the report is published
        (censusBefore, censusAfter) = (null, null);
        var sites = SitesOf(profile, types);

        var report = new LeakReport
        {
            Signal = trigger?.Signal ?? LeakReportText.ManualSignal,
            DetectedAt = trigger?.EvaluatedAt ?? before.TakenAt,
            GrowthBytesPerSecond = bytesTrigger?.GrowthRatePerSecond ?? (seconds > 0 ? (after.TotalBytes - before.TotalBytes) / seconds : 0),
            TimeToLimitSeconds = trigger?.TimeToLimit?.TotalSeconds,
            Snapshots = SnapshotPair.Of(before, after),
            GrowingTypes =
            [
                .. growth.Select(g => new GrowingType
                {
                    Type = g.Type,
                    CountDelta = g.CountDelta,
                    BytesDelta = g.BytesDelta,
                    CountAfter = g.CountAfter,
                    BytesAfter = g.BytesAfter,
                    RetentionPaths = _staticFields.Qualify(paths.GetValueOrDefault(g.Type) ?? []),
                    AllocationSites = sites?.GetValueOrDefault(g.Type),
                }.Explained()),
            ],
            Allocations = Describe(profile, missing),
            LargestTypes = growth.Count == 0 ? HeapDiff.Largest(after) : null,
            Native = nativeBefore is null || nativeAfter is null ? null : NativeDiff.Compare(nativeBefore, nativeAfter, before, after),
            LoadedAssemblies = GeneratedAssemblies(Assemblies.DynamicLoadEvents - dynamicLoadsBefore),
        };

        if (growth.Count == 0 && _logger.IsEnabled(LogLevel.Information))
        {
            var grew = Readable.Bytes(HeapDiff.GrowthBytes(before, after));
            var threshold = Readable.Bytes(noise);
            var largest = string.Join(", ", report.LargestTypes!.Take(3).Select(t => $"{t.Type} ({Readable.Bytes(t.Bytes)})"));
            InvestigationLog.NothingGrew(_logger, grew, threshold, largest);
        }

        await PublishAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task WaitForGrowthAsync(long heapAtBefore, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        var minGrowth = _options.Snapshots.MinGrowthBytes;
        if (minGrowth is not > 0)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            return;
        }

        var deadline = _timeProvider.GetUtcNow() + delay;
        while (_timeProvider.GetUtcNow() < deadline && HeapBytes() - heapAtBefore < minGrowth)
        {
            var left = deadline - _timeProvider.GetUtcNow();
            await Task.Delay(left < GrowthPollInterval ? left : GrowthPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TakenSnapshot> TakeSummaryAsync(bool keepGraph, CancellationToken cancellationToken, bool census = false)
    {
        var heap = HeapBytes();
        var estimate = EstimateObjects(heap);
        var buffer = FixedBufferMegabytes ?? SnapshotBudget.BufferMegabytes(
            SnapshotBudget.EstimateObjects(heap, _lastObjectCount, _lastHeapBytes, SnapshotBudget.BufferAssumedBytesPerObject));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var heapText = Readable.Bytes(heap);
            var density = heap / (double)Math.Max(1, estimate);
            var basis = _lastObjectCount > 0 && _lastHeapBytes > 0 ? "the density the last snapshot measured" : "an assumed density until a snapshot measures one";
            InvestigationLog.SnapshotStarting(_logger, heapText, estimate, density, basis, buffer);
        }

        HeapSnapshot snapshot;
        try
        {
            snapshot = await TakeSnapshot(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (HeapSnapshotException ex) when (ex.EventsWereLost)
        {
            var larger = FixedBufferMegabytes ?? Math.Min(16 * 1024, buffer * 3);
            InvestigationLog.SnapshotRetrying(_logger, ex.Message, larger);
            snapshot = await TakeSnapshot(larger, cancellationToken).ConfigureAwait(false);
        }

        var result = Summarize(snapshot, heap, keepGraph, census);

        // The state machine keeps its locals until it is collected: drop the graph explicitly, so snapshot B
        // never counts snapshot A's arrays.
        snapshot = null!;
        return result;
    }

    private TakenSnapshot Summarize(HeapSnapshot snapshot, long heapBytes, bool keepGraph, bool census)
    {
        var graph = snapshot.Graph;
        InvestigationLog.SnapshotTaken(_logger, graph.NodeCount, graph.EdgeCount, snapshot.Duration.TotalMilliseconds, snapshot.Pause.TotalMilliseconds);
        RaiseSnapshotTaken(snapshot.Duration);
        _lastObjectCount = graph.NodeCount;
        _lastHeapBytes = heapBytes;
        var names = HeapSummarizer.RenderTypeNames(graph, _resolver);
        var own = OwnObjects.Of(graph, names, OwnStaticFields.All);
        var parent = RetentionPathFinder.Search(graph, own, out var ownOnly, out var order, out var reached);
        var summary = HeapSummarizer.Summarize(graph, names, snapshot.TakenAt, snapshot.Duration, ownOnly, snapshot.Pause);
        var chains = census ? PathCensus.Take(graph, names, parent, ownOnly, order, reached) : null;
        return new TakenSnapshot(summary, keepGraph ? new RenderedGraph(graph, names) { Own = own } : null, chains);
    }

    private async Task PublishAsync(LeakReport report, CancellationToken cancellationToken)
    {
        lock (_reportsLock)
        {
            _reports.Add(report);
            while (_reports.Count > Math.Max(1, _options.Reports.MaxCount))
            {
                _reports.RemoveAt(0);
            }
        }

        if (report.GrowingTypes.Count > 0)
        {
            var top = report.GrowingTypes[0];
            var path = top.RetentionPaths.Count > 0 ? top.RetentionPaths[0] : null;
            InvestigationLog.ReportProduced(
                _logger,
                top.Type,
                top.CountDelta,
                top.BytesDelta,
                path?.Root ?? "an unknown root",
                path is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({path.Share * 100:0}%) via {string.Join(" → ", path.Path)}"),
                LeakReportText.AllocatedAt(top) is { Length: > 0 } site ? $" Allocated at {site}." : string.Empty,
                KnownPatterns.Explain(report) is ({ } pattern, { } subject)
                    ? $" Known pattern {pattern.Id} ({subject}): {pattern.Title}. Fix: {pattern.Fix}"
                    : string.Empty,
                top.Signature ?? "none");
        }

        if (report.Native is { } native)
        {
            InvestigationLog.NativeEvidence(_logger, report.Signal, native.SecondsApart, native.Finding);
        }

        if (_options.Reports.Directory is { Length: > 0 } directory)
        {
            try
            {
                var file = await ReportStore.WriteAsync(directory, report, _options.Reports.MaxCount, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                InvestigationLog.ReportWritten(_logger, file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                // Disk full or a bad directory is the operator's to fix: one line with the reason, no stack trace.
                InvestigationLog.ReportWriteFailed(_logger, directory, ex.Message);
            }
        }

        try
        {
            ReportProduced?.Invoke(report);
        }
#pragma warning disable CA1031 // A subscriber's exception must not end the investigation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InvestigationLog.ReportHandlerFailed(_logger, ex);
        }
    }

    // Named only when code was generated between the snapshots: the runtime's own lazy loads are never dynamic.
    private LoadedAssemblies? GeneratedAssemblies(long dynamicBetween)
    {
        if (dynamicBetween <= 0)
        {
            return null;
        }

        var counts = Assemblies.Read();
        var newest = Assemblies.NewestDynamic();
        return new LoadedAssemblies
        {
            Count = counts.Loaded,
            Dynamic = counts.Dynamic,
            Collectible = counts.Collectible,
            DynamicBetweenSnapshots = dynamicBetween,
            Newest = newest,
            Pattern = KnownPatterns.MatchAssemblies(newest),
        };
    }

    private static long AvailableMemoryBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private void MarkUnavailable(string reason)
    {
        if (Interlocked.CompareExchange(ref _unavailable, 1, 0) == 0)
        {
            _unavailableReason = reason;
            InvestigationLog.SnapshotsUnavailable(_logger, reason);
        }
    }

    private void RaiseSnapshotTaken(TimeSpan duration)
    {
        try
        {
            SnapshotTaken?.Invoke(duration);
        }
#pragma warning disable CA1031 // A metrics subscriber must not fail the snapshot.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InvestigationLog.InvestigationFailed(_logger, ex);
        }
    }
}
