using System.Globalization;

namespace LeakGuard.Detection;

/// <summary>The words behind a verdict, built once per detector so an evaluation allocates no strings.</summary>
internal static class VerdictReasons
{
    /// <summary>The reason while the warm-up lasts or too few buckets exist.</summary>
    public const string WarmingUp = "Warming up: not enough history after the warm-up period to judge the trend.";

    /// <summary>The reason while the signal settles after LeakGuard's own heap snapshot (see <see cref="SignalDetector.Restart"/>).</summary>
    public const string Settling = "Settling: LeakGuard's own heap snapshot raised the process's memory; the trend is judged again after a warm-up period.";

    /// <summary>The reason while hysteresis keeps a state without a horizon result to show.</summary>
    public const string HeldByHysteresis = "State held by hysteresis: no horizon passes right now, but not for long enough to release it.";

    /// <summary>Builds the reason text for every horizon and outcome.</summary>
    /// <param name="settings">The tuning.</param>
    /// <returns>Reasons indexed by level and <see cref="HorizonOutcome"/>.</returns>
    public static string[,] Build(DetectorSettings settings)
    {
        var outcomes = Enum.GetValues<HorizonOutcome>();
        var reasons = new string[settings.BucketWidths.Count, outcomes.Length];
        for (var level = 0; level < settings.BucketWidths.Count; level++)
        {
            var horizon = Describe(settings.BucketWidths[level] * settings.PointsPerHorizon);
            foreach (var outcome in outcomes)
            {
                reasons[level, (int)outcome] = $"{horizon} horizon: {Explain(outcome)}";
            }
        }

        return reasons;
    }

    /// <summary>Formats a duration compactly (45 s, 10 min, 2.7 h, 1.8 d).</summary>
    /// <param name="span">The duration.</param>
    /// <returns>The text.</returns>
    public static string Describe(TimeSpan span) => span.TotalSeconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} d"),
    };

    private static string Explain(HorizonOutcome outcome) => outcome switch
    {
        HorizonOutcome.TooFewPoints => "too few points after the warm-up to test.",
        HorizonOutcome.TooCorrelated => "the noise is too autocorrelated for this window to tell a trend from a wander.",
        HorizonOutcome.NotSignificant => "no significant upward trend in the floors (Mann–Kendall, corrected for autocorrelation).",
        HorizonOutcome.IntervalIncludesZero => "the growth rate's confidence interval includes zero.",
        HorizonOutcome.TooLittleGrowth => "the floor grows, but by less than the noise-based and configured minimum.",
        HorizonOutcome.Plateau => "the floor grew but the recent part of the window has levelled off (warm-up or a filling cache).",
        HorizonOutcome.LevelShifts => "the floor rose in a few level shifts (load steps), not a steady trend.",
        HorizonOutcome.DailyCycle => "the rise is part of a daily cycle: day-over-day floors do not grow.",
        _ => "the floor grows steadily and significantly, and is still growing in the recent part of the window.",
    };
}
