using LeakGuard.AspNetCore.Json;
using LeakGuard.Formatting;
using LeakGuard.Hosting;
using LeakGuard.Sources;

namespace LeakGuard.AspNetCore.Series;

/// <summary>
/// Turns the monitor's buckets or raw samples into the points of one chart. Pure: arrays in, values out.
/// Each horizon is drawn from the finest source that reaches back to its start (or, in a process younger than
/// the horizon, as far back as any source does), so the chart is filled edge to edge: raw samples for short
/// horizons, then ever coarser buckets.
/// </summary>
internal static class SeriesBuilder
{
    /// <summary>The number of points a chart aims for; buckets are requested at horizon / this.</summary>
    public const int TargetPoints = 240;

    /// <summary>The most raw samples read for one chart.</summary>
    public const int MaxRawSamples = 4096;

    /// <summary>
    /// Chooses the source that draws the chart: among those that reach back to <paramref name="from"/> (within one
    /// of their own steps), or, when none does, as far back as the furthest-reaching one, the one with the most
    /// points inside the horizon.
    /// </summary>
    /// <param name="candidates">The sources.</param>
    /// <param name="from">The start of the horizon.</param>
    /// <returns>The chosen source; an empty bucket source when there is none.</returns>
    public static SeriesSource Choose(IReadOnlyList<SeriesSource> candidates, DateTimeOffset from)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            return new SeriesSource(SeriesSource.Buckets, TimeSpan.Zero, from, []);
        }

        var reach = candidates.Min(c => c.Oldest);
        var start = reach > from ? reach : from;
        SeriesSource? best = null;
        foreach (var candidate in candidates)
        {
            var covers = candidate.Oldest <= start + candidate.Resolution;
            if (covers && (best is null || candidate.Points.Length > best.Points.Length))
            {
                best = candidate;
            }
        }

        return best!;
    }

    /// <summary>Selects the bucket points inside the horizon.</summary>
    /// <param name="points">The buckets, oldest first.</param>
    /// <param name="from">The start of the horizon.</param>
    /// <returns>The points.</returns>
    public static SeriesPointDto[] FromBuckets(IReadOnlyList<SignalPoint> points, DateTimeOffset from)
    {
        var result = new List<SeriesPointDto>(points.Count);
        foreach (var p in points)
        {
            if (p.Timestamp >= from && double.IsFinite(p.Min) && double.IsFinite(p.Max) && double.IsFinite(p.Last))
            {
                result.Add(new SeriesPointDto { T = p.Timestamp, Min = p.Min, Max = p.Max, Last = p.Last });
            }
        }

        return [.. result];
    }

    /// <summary>Selects the raw samples inside the horizon and reads the signal from each.</summary>
    /// <param name="samples">The samples, oldest first.</param>
    /// <param name="signal">A memory signal name.</param>
    /// <param name="from">The start of the horizon.</param>
    /// <returns>The points (empty for signals raw samples do not carry).</returns>
    public static SeriesPointDto[] FromSamples(IReadOnlyList<MemorySample> samples, string signal, DateTimeOffset from)
    {
        var result = new List<SeriesPointDto>(samples.Count);
        foreach (var s in samples)
        {
            if (s.Timestamp < from || ValueOf(s, signal) is not { } value)
            {
                continue;
            }

            result.Add(new SeriesPointDto { T = s.Timestamp, Min = value, Max = value, Last = value });
        }

        return [.. result];
    }

    /// <summary>Reads one signal from a raw sample.</summary>
    /// <param name="sample">The sample.</param>
    /// <param name="signal">The signal name.</param>
    /// <returns>The value, or <see langword="null"/> when the sample does not carry it or it is unavailable.</returns>
    public static double? ValueOf(in MemorySample sample, string signal)
    {
        // GCMemoryInfo reports zeros before the first collection, and -1 marks an unavailable reading.
        if (sample.GcIndex <= 0 && signal is LeakSignals.ManagedHeap or LeakSignals.Gen2 or LeakSignals.Loh or LeakSignals.NativeMemory)
        {
            return null;
        }

        long value = signal switch
        {
            LeakSignals.ManagedHeap => SignalValues.ManagedHeapBytes(sample),
            LeakSignals.Gen2 => SignalValues.Gen2Bytes(sample),
            LeakSignals.Loh => SignalValues.LohBytes(sample),
            LeakSignals.ProcessMemory => sample.ResidentSetBytes,
            LeakSignals.NativeMemory => SignalValues.NativeBytes(sample),
            LeakSignals.Threads => sample.ThreadCount,
            LeakSignals.Timers => sample.TimerCount,
            LeakSignals.LoadedAssemblies => sample.LoadedAssemblyCount,
            LeakSignals.FinalizationQueue => sample.FinalizationPendingCount,
            LeakSignals.GcHandles => sample.GcHandleCount,
            _ => -1,
        };
        return value >= 0 ? value : null;
    }

    /// <summary>
    /// Lists the events inside the horizon: each verdict change (into Suspected or Leaking, and back to Stable) and each
    /// report's two heap snapshots.
    /// </summary>
    /// <param name="verdict">The signal's current verdict, or <see langword="null"/>.</param>
    /// <param name="changes">The signal's recorded verdict changes, oldest first.</param>
    /// <param name="reports">The monitor's reports.</param>
    /// <param name="from">The start of the horizon.</param>
    /// <param name="to">The end of the horizon.</param>
    /// <returns>The markers, oldest first.</returns>
    public static SeriesMarkerDto[] Markers(LeakVerdict? verdict, IReadOnlyList<LeakVerdict> changes, IReadOnlyList<Investigation.LeakReport> reports, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(reports);
        var markers = new List<SeriesMarkerDto>();
        var previous = LeakState.InsufficientData;
        foreach (var change in verdict is null || changes.Any(c => c.Since == verdict.Since) ? changes : changes.Append(verdict))
        {
            if (change.State >= LeakState.Suspected || (change.State == LeakState.Stable && previous >= LeakState.Suspected))
            {
                markers.Add(new SeriesMarkerDto { T = change.Since, Kind = SeriesMarkerDto.Verdict, Label = change.State.ToString() });
            }

            previous = change.State;
        }

        foreach (var report in reports)
        {
            markers.Add(new SeriesMarkerDto { T = report.Snapshots.Before, Kind = SeriesMarkerDto.Snapshot, Label = "heap snapshot" });
            markers.Add(new SeriesMarkerDto { T = report.Snapshots.After, Kind = SeriesMarkerDto.Snapshot, Label = "heap snapshot" });
        }

        return [.. markers.Where(m => m.T >= from && m.T <= to).OrderBy(m => m.T)];
    }

    /// <summary>Builds the projected trend line for a growing signal.</summary>
    /// <param name="verdict">The signal's verdict, or <see langword="null"/>.</param>
    /// <returns>The trend, or <see langword="null"/> when the signal is not suspected of growing.</returns>
    public static TrendDto? Trend(LeakVerdict? verdict)
    {
        if (verdict is null || verdict.State < LeakState.Suspected
            || !double.IsFinite(verdict.GrowthRatePerSecond) || verdict.GrowthRatePerSecond <= 0
            || !double.IsFinite(verdict.CurrentValue))
        {
            return null;
        }

        var reachesLimit = verdict.TimeToLimit is { } ttl && ttl >= TimeSpan.Zero && ttl < TimeSpan.FromDays(3650);
        return new TrendDto
        {
            State = verdict.State,
            RatePerSecond = verdict.GrowthRatePerSecond,
            AnchorTime = verdict.EvaluatedAt,
            AnchorValue = verdict.CurrentValue,
            Label = reachesLimit
                ? "limit in " + Readable.Duration(verdict.TimeToLimit!.Value)
                : Readable.Rate(verdict.GrowthRatePerSecond, LeakSignals.GrowsInBytes(verdict.Signal)),
            LimitReachedAt = reachesLimit ? verdict.EvaluatedAt + verdict.TimeToLimit : null,
        };
    }
}
