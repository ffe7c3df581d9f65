using LeakGuard.Detection;
using LeakGuard.DetectionQuality.Generation;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// Replays generated runs through <see cref="SeriesReplay"/> before and after a transformation that must not change
/// the decision, and lists every run whose final verdict or first Leaking time (beyond two of the coarser finest
/// buckets) changed.
/// </summary>
internal static class MetamorphicReplay
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(5);

    /// <summary>Gets two tuning seeds of every family, shortened to at most a day and 4 000 samples so the properties run quickly.</summary>
    public static IReadOnlyList<RunParameters> Cases { get; } =
    [
        .. Family.All.SelectMany(f => new long[] { 0, 1 }.Select(seed => Shorten(ScenarioGenerator.Draw(f, seed), TimeSpan.FromDays(1), 4000))),
    ];

    /// <summary>Shortens a run (its limit and exhaustion are kept, so a leak may end before it runs out).</summary>
    /// <param name="p">The parameters.</param>
    /// <param name="longest">The longest length.</param>
    /// <param name="samples">The most samples.</param>
    /// <returns>The shortened parameters.</returns>
    public static RunParameters Shorten(RunParameters p, TimeSpan longest, int samples)
    {
        var length = Math.Min(p.Length, longest.TotalSeconds);
        return p with { Length = length, Interval = Math.Max(p.Interval, length / samples) };
    }

    /// <summary>Replays a series.</summary>
    /// <param name="run">The run (its limit, start and interval).</param>
    /// <param name="times">The sample times, seconds after the run's start.</param>
    /// <param name="values">The values.</param>
    /// <param name="interval">The sampling interval the settings are built for.</param>
    /// <param name="shift">Added to every timestamp.</param>
    /// <param name="map">Applied to every value and to the limit.</param>
    /// <param name="options">The detection options.</param>
    /// <returns>The final state, the first Leaking time (seconds after the first sample) and the finest bucket width.</returns>
    public static (LeakState? Final, double? FirstLeaking, double Bucket) Replay(
        GeneratedRun run, double[] times, double[] values, double interval, TimeSpan shift, Func<double, double> map, DetectionOptions options)
    {
        var settings = DetectorSettings.Create(Window, TimeSpan.FromSeconds(interval), WarmUp, options);
        var replay = new SeriesReplay(new SignalDetector(LeakSignals.ManagedHeap, settings), settings, run.Limit is { } l ? map(l) : null);
        var start = run.Parameters.Start + shift;
        LeakState? final = null;
        double? first = null;
        for (var i = 0; i < times.Length; i++)
        {
            var at = start.AddTicks((long)Math.Round(times[i] * TimeSpan.TicksPerSecond));
            if (replay.Add(at, map(values[i])) is { } verdict)
            {
                final = verdict.State;
                if (first is null && verdict.State == LeakState.Leaking)
                {
                    first = times[i];
                }
            }
        }

        return (final, first, settings.BucketWidths[0].TotalSeconds);
    }

    /// <summary>Compares each case before and after a transformation; returns one line per case that changed.</summary>
    /// <param name="transform">Given a case, the replays before and after.</param>
    /// <returns>The changed cases.</returns>
    public static List<string> Differences(Func<RunParameters, ((LeakState? Final, double? FirstLeaking, double Bucket) Before, (LeakState? Final, double? FirstLeaking, double Bucket) After)> transform)
    {
        var differences = new List<string>();
        foreach (var p in Cases)
        {
            var (before, after) = transform(p);
            var tolerance = 2 * Math.Max(before.Bucket, after.Bucket);
            var sameFirst = before.FirstLeaking is null
                ? after.FirstLeaking is null
                : after.FirstLeaking is { } a && Math.Abs(a - before.FirstLeaking.Value) <= tolerance;
            if (before.Final != after.Final || !sameFirst)
            {
                differences.Add($"{p.Family} seed {p.Seed}: final {before.Final} → {after.Final}, first Leaking {Hours(before.FirstLeaking)} → {Hours(after.FirstLeaking)}");
            }
        }

        return differences;
    }

    /// <summary>Replays a rendered run before and after a time shift and a value map, with the same options.</summary>
    /// <param name="run">The run.</param>
    /// <param name="shift">The time shift.</param>
    /// <param name="map">The value map.</param>
    /// <param name="options">The options.</param>
    /// <returns>Both replays.</returns>
    public static ((LeakState?, double?, double) Before, (LeakState?, double?, double) After) BeforeAndAfter(GeneratedRun run, TimeSpan shift, Func<double, double> map, DetectionOptions options) =>
        (Replay(run, run.Times, run.Values, run.Parameters.Interval, TimeSpan.Zero, v => v, options),
         Replay(run, run.Times, run.Values, run.Parameters.Interval, shift, map, options));

    private static string Hours(double? seconds) => seconds is { } s ? $"{s / 3600:0.00} h" : "never";
}
