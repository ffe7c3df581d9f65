namespace LeakGuard.Detection;

/// <summary>
/// Which bounded shape a rise that otherwise explains the history clearly better could still turn out to be, so that the
/// history does not call it unbounded yet (see <see cref="SignalDetector"/>, question 2).
/// </summary>
internal enum YoungRise
{
    /// <summary>None: the rise is past what every bounded shape could still become.</summary>
    None,

    /// <summary>An unfinished warm-up or cache fill: younger than the longest warm-up and not doubled.</summary>
    WarmUp,

    /// <summary>A daily cycle's rising half: begun in the first day watched, younger than half a day, within a cycle's swing.</summary>
    DailyCycle,
}
