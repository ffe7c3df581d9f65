using System.Globalization;
using LeakGuard.Formatting;

namespace LeakGuard.Cli;

/// <summary>Prints a replay's timeline for people, with the units the logs and the dashboard use.</summary>
internal static class TimelineTextWriter
{
    /// <summary>Writes the timeline.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="request">The options.</param>
    /// <param name="result">The replay.</param>
    public static void Write(TextWriter output, AnalyzeRequest request, AnalysisResult result)
    {
        var settings = result.Settings;
        var span = result.Last - result.First;
        output.WriteLine($"{request.Path}: {result.Points.ToString("#,0", CultureInfo.InvariantCulture)} values of {request.Signal}, {SeriesCsvReader.Format(result.First)} to {SeriesCsvReader.Format(result.Last)} ({Readable.Duration(span)}), sampled every {Readable.Duration(result.SampleInterval)}.");
        if (result.Window > result.RequestedWindow)
        {
            output.WriteLine($"Window raised from {Readable.Duration(result.RequestedWindow)} to {Readable.Duration(result.Window)}: at one value every {Readable.Duration(result.SampleInterval)}, a window needs {2 * settings.PointsPerHorizon} values (two per bucket).");
        }

        var horizons = settings.BucketWidths.Select(w => w * settings.PointsPerHorizon).ToArray();
        var history = span + result.SampleInterval;
        var covered = horizons.Where(h => h <= history).Select(Readable.Duration).ToArray();
        var longer = horizons.Where(h => h > history).Select(Readable.Duration).ToArray();
        var horizonText = longer.Length == 0
            ? string.Join(", ", covered)
            : covered.Length == 0
                ? $"none covered by the file's {Readable.Duration(span)} ({string.Join(", ", longer)} need more history)"
                : $"{string.Join(", ", covered)} ({string.Join(", ", longer)} need more history than the file's {Readable.Duration(span)})";
        output.WriteLine($"Horizons {horizonText}; finest bucket {Readable.Duration(settings.BucketWidths[0])}; warm-up {Readable.Duration(settings.WarmUp)}.");
        output.WriteLine();
        foreach (var v in result.Timeline)
        {
            output.WriteLine(Line(v, request.Signal));
        }

        output.WriteLine();
        if (result.Final is null)
        {
            output.WriteLine("Result: too short to evaluate (no bucket closed).");
            return;
        }

        output.WriteLine(result.Leaked
            ? $"Result: LEAK — became Leaking at {SeriesCsvReader.Format(result.Timeline.First(v => v.State == LeakState.Leaking).EvaluatedAt)}; final state {result.Final.State}."
            : $"Result: no leak — final state {result.Final.State}.");
        output.WriteLine($"Final: {Line(result.Final, request.Signal)}");
    }

    private static string Line(LeakVerdict v, string signal)
    {
        var bytes = LeakSignals.IsMemorySignal(signal);
        var text = $"{SeriesCsvReader.Format(v.EvaluatedAt)}  {v.State,-16}";
        if (v.Horizon > TimeSpan.Zero)
        {
            var growth = Readable.Amount(v.GrowthSinceBaseline, bytes);
            text += string.Create(
                CultureInfo.InvariantCulture,
                $" {Readable.RateWithInterval(v.GrowthRatePerSecond, v.GrowthRateLowerPerSecond, v.GrowthRateUpperPerSecond, bytes)}, p={v.PValue:G2}, {(v.GrowthSinceBaseline > 0 ? "+" : string.Empty)}{growth} over the {Readable.Duration(v.Horizon)} window");

            // A time to the limit only for a signal judged to grow: a stable one's drift projects nothing.
            if (v.State >= LeakState.Suspected && v.TimeToLimit is { } ttl)
            {
                var latest = v.TimeToLimitLatest is { } lt ? Readable.Duration(lt) : "never";
                var earliest = v.TimeToLimitEarliest is { } et ? Readable.Duration(et) : "?";
                text += $", limit in {Readable.Duration(ttl)} ({earliest} … {latest})";
            }
        }

        return $"{text.TrimEnd()}. {v.Reason}";
    }
}
