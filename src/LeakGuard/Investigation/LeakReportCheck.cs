using System.Globalization;

namespace LeakGuard.Investigation;

/// <summary>
/// Checks a deserialised report for what JSON can say but a report cannot: explicit nulls in required members and
/// numbers no report holds. The message names the field, as a JSON path.
/// </summary>
internal static class LeakReportCheck
{
    // Rates and durations beyond these are not measurements (a heap does not grow by an exabyte per second).
    private const double MaxBytesPerSecond = 1e18;
    private static readonly double MaxSeconds = TimeSpan.MaxValue.TotalSeconds / 2;

    /// <summary>Finds the first problem of a report.</summary>
    /// <param name="report">The report as deserialised.</param>
    /// <returns>The problem naming the field, or <see langword="null"/> when the report is whole.</returns>
    public static string? Problem(LeakReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Signal is null)
        {
            return "$.signal is null.";
        }

        if (!(Math.Abs(report.GrowthBytesPerSecond) <= MaxBytesPerSecond))
        {
            return Invariant($"$.growthBytesPerSecond {report.GrowthBytesPerSecond:G4} is out of range.");
        }

        if (report.TimeToLimitSeconds is { } seconds && !(seconds >= 0 && seconds <= MaxSeconds))
        {
            return Invariant($"$.timeToLimitSeconds {seconds:G4} is out of range (0 to {MaxSeconds:G4}).");
        }

        if (report.Snapshots is null)
        {
            return "$.snapshots is null.";
        }

        if (report.GrowingTypes is null)
        {
            return "$.growingTypes is null.";
        }

        for (var t = 0; t < report.GrowingTypes.Count; t++)
        {
            if (GrowingTypeProblem(report.GrowingTypes[t], Invariant($"$.growingTypes[{t}]")) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? GrowingTypeProblem(GrowingType? type, string at)
    {
        if (type is null)
        {
            return at + " is null.";
        }

        if (type.Type is null)
        {
            return at + ".type is null.";
        }

        for (var p = 0; p < type.RetentionPaths.Count; p++)
        {
            var path = type.RetentionPaths[p];
            var pathAt = Invariant($"{at}.retentionPaths[{p}]");
            if (path is null || path.Root is null || path.Path is null)
            {
                return pathAt + (path is null ? " is null." : path.Root is null ? ".root is null." : ".path is null.");
            }

            for (var s = 0; s < path.Path.Count; s++)
            {
                if (path.Path[s] is null)
                {
                    return Invariant($"{pathAt}.path[{s}] is null.");
                }
            }
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
