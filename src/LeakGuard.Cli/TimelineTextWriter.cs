using System.Globalization;
using LeakGuard.Detection;

namespace LeakGuard.Cli;

/// <summary>Prints a replay's timeline for people.</summary>
internal static class TimelineTextWriter
{
    /// <summary>Writes the timeline.</summary>
    /// <param name="output">The writer.</param>
    /// <param name="request">The options.</param>
    /// <param name="result">The replay.</param>
    public static void Write(TextWriter output, AnalyzeRequest request, AnalysisResult result)
    {
        var settings = result.Settings;
        var horizons = string.Join(", ", settings.BucketWidths.Select(w => VerdictReasons.Describe(w * settings.PointsPerHorizon)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{request.Path}: {result.Points} values of {request.Signal}, {SeriesCsvReader.Format(result.First)} to {SeriesCsvReader.Format(result.Last)}, sampled every {VerdictReasons.Describe(result.SampleInterval)}."));
        output.WriteLine($"Finest bucket {VerdictReasons.Describe(settings.BucketWidths[0])}; horizons {horizons}; warm-up {VerdictReasons.Describe(settings.WarmUp)}.");
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
        var text = string.Create(CultureInfo.InvariantCulture, $"{SeriesCsvReader.Format(v.EvaluatedAt)}  {v.State,-16}");
        if (v.Horizon > TimeSpan.Zero)
        {
            text += string.Create(
                CultureInfo.InvariantCulture,
                $" {Amount(v.GrowthRatePerSecond * 3600, signal)}/h (95 % CI {Amount(v.GrowthRateLowerPerSecond * 3600, signal)} … {Amount(v.GrowthRateUpperPerSecond * 3600, signal)}), p={v.PValue:G2}, +{Amount(v.GrowthSinceBaseline, signal)} over the window");
            if (v.TimeToLimit is { } ttl)
            {
                var latest = v.TimeToLimitLatest is { } lt ? VerdictReasons.Describe(lt) : "never";
                var earliest = v.TimeToLimitEarliest is { } et ? VerdictReasons.Describe(et) : "?";
                text += $", limit in {VerdictReasons.Describe(ttl)} ({earliest} … {latest})";
            }
        }

        return $"{text}. {v.Reason}";
    }

    /// <summary>Formats an amount: bytes with binary units for memory signals, plain numbers otherwise.</summary>
    /// <param name="value">The amount.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The text.</returns>
    public static string Amount(double value, string signal)
    {
        if (!LeakSignals.IsMemorySignal(signal))
        {
            return value.ToString("G4", CultureInfo.InvariantCulture);
        }

        var abs = Math.Abs(value);
        return abs switch
        {
            >= 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{value / (1 << 30):0.##} GiB"),
            >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{value / (1 << 20):0.##} MiB"),
            >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{value / (1 << 10):0.##} KiB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{value:0} B"),
        };
    }
}
