namespace LeakGuard.DetectionQuality.Generation;

/// <summary>One rendered series with its labels.</summary>
internal sealed class GeneratedRun
{
    /// <summary>Gets the parameters it was rendered from.</summary>
    public required RunParameters Parameters { get; init; }

    /// <summary>Gets the sample times in seconds after <see cref="RunParameters.Start"/>.</summary>
    public required double[] Times { get; init; }

    /// <summary>Gets the values (bytes).</summary>
    public required double[] Values { get; init; }

    /// <summary>Gets the memory limit, or <see langword="null"/> for a run without one.</summary>
    public double? Limit { get; init; }

    /// <summary>Gets the leak's onset in seconds after the start, or <see langword="null"/> for a healthy run.</summary>
    public double? Onset => Parameters.LeakRate > 0 ? Parameters.LeakOnset : null;

    /// <summary>Gets when the leak exhausts the limit (seconds after the start; the series ends there), or <see langword="null"/>.</summary>
    public double? Exhaustion => Parameters.Exhaustion;

    /// <summary>Gets the time of the sample with the given index.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The timestamp.</returns>
    public DateTimeOffset TimestampAt(int index) => Parameters.Start.AddTicks((long)Math.Round(Times[index] * TimeSpan.TicksPerSecond));

    /// <summary>Gets how many hours after the run's start <paramref name="at"/> is (a verdict's time, for messages and checks).</summary>
    /// <param name="at">The time.</param>
    /// <returns>The hours since <see cref="RunParameters.Start"/>.</returns>
    public double HoursAt(DateTimeOffset at) => (at - Parameters.Start).TotalHours;
}
