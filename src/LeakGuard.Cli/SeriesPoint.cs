namespace LeakGuard.Cli;

/// <summary>One row of a recorded series.</summary>
/// <param name="Timestamp">The time of the value.</param>
/// <param name="Value">The value (bytes or a count).</param>
/// <param name="Line">The 1-based line number it came from.</param>
internal readonly record struct SeriesPoint(DateTimeOffset Timestamp, double Value, int Line);
