using System.Diagnostics;
using System.Globalization;
using LeakGuard.Cli;
using LeakGuard.Detection;
using LeakGuard.DetectionQuality.Generation;

namespace LeakGuard.DetectionQuality;

/// <summary>
/// Replays a generated run exactly as <c>leakguard analyze run.csv [--limit L]</c> with every other option at its
/// default would: the request comes from the command's own parser and the replay is the command's.
/// </summary>
internal static class RunReplay
{
    /// <summary>Generates and replays one run.</summary>
    /// <param name="family">The family.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The outcome.</returns>
    public static RunOutcome Evaluate(Family family, long seed)
    {
        var watch = Stopwatch.StartNew();
        var run = ScenarioGenerator.Generate(family, seed);
        var result = Analyze(run);
        var first = result.Timeline.FirstOrDefault(v => v.State == LeakState.Leaking);
        var suspected = result.Timeline.FirstOrDefault(v => v.State is LeakState.Suspected or LeakState.Leaking);
        double? detected = null;
        if (run.Onset is { } onset)
        {
            var start = run.Parameters.Start;
            var atOnset = result.Timeline.LastOrDefault(v => Seconds(start, v) <= onset);
            detected = atOnset?.State == LeakState.Leaking
                ? onset
                : result.Timeline.FirstOrDefault(v => Seconds(start, v) > onset && v.State == LeakState.Leaking) is { } v ? Seconds(start, v) : null;
        }

        return new RunOutcome
        {
            Family = family,
            Parameters = run.Parameters,
            End = run.Times[^1],
            FirstLeaking = first is null ? null : Seconds(run.Parameters.Start, first),
            FirstSuspected = suspected is null ? null : Seconds(run.Parameters.Start, suspected),
            Detected = detected,
            Final = result.Final?.State,
            LeakingReason = first?.Reason,
            FinestBucket = result.Settings.BucketWidths[0].TotalSeconds,
            WarmUp = result.Settings.WarmUp.TotalSeconds,
            Window = result.Settings.Window.TotalSeconds,
            Elapsed = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Replays a run through the command's path.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The command's result.</returns>
    public static AnalysisResult Analyze(GeneratedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var points = new SeriesPoint[run.Times.Length];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new SeriesPoint(run.TimestampAt(i), run.Values[i], i + 2);
        }

        string[] args = run.Limit is { } limit ? ["generated.csv", "--limit", limit.ToString("R", CultureInfo.InvariantCulture), .. AnalyzeOptions.Extra] : ["generated.csv", .. AnalyzeOptions.Extra];
        if (!SeriesAnalysis.TryReplay(points, AnalyzeCommand.Request(args), TextWriter.Null, out var result))
        {
            throw new InvalidOperationException($"{run.Parameters.Family} #{run.Parameters.Seed}: the command refused the generated run.");
        }

        return result;
    }

    /// <summary>Writes a run as the CSV <c>leakguard analyze</c> reads (ISO-8601 timestamps).</summary>
    /// <param name="run">The run.</param>
    /// <param name="output">The writer.</param>
    public static void WriteCsv(GeneratedRun run, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("timestamp,value");
        for (var i = 0; i < run.Times.Length; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.TimestampAt(i):O},{run.Values[i]:R}"));
        }
    }

    private static double Seconds(DateTimeOffset start, LeakVerdict verdict) => (verdict.EvaluatedAt - start).TotalSeconds;
}
