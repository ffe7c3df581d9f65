using LeakGuard.Detection;

namespace LeakGuard.Cli;

/// <summary>What a replay produced: the state changes and the last verdict.</summary>
internal sealed class AnalysisResult
{
    /// <summary>Gets the number of values read.</summary>
    public int Points { get; init; }

    /// <summary>Gets the first timestamp.</summary>
    public DateTimeOffset First { get; init; }

    /// <summary>Gets the last timestamp.</summary>
    public DateTimeOffset Last { get; init; }

    /// <summary>Gets the median interval between values.</summary>
    public TimeSpan SampleInterval { get; init; }

    /// <summary>Gets the shortest horizon asked for (<c>--window</c> or its default), before it was fitted to the file's sampling.</summary>
    public TimeSpan RequestedWindow { get; init; }

    /// <summary>Gets the shortest horizon the detector uses: the requested one, raised when the file is sampled too sparsely for it.</summary>
    public TimeSpan Window => Settings.BucketWidths[0] * Settings.PointsPerHorizon;

    /// <summary>Gets the detector settings chosen for the file.</summary>
    public required DetectorSettings Settings { get; init; }

    /// <summary>Gets the verdicts at which the state changed, in time order.</summary>
    public required IReadOnlyList<LeakVerdict> Timeline { get; init; }

    /// <summary>Gets the last verdict, or <see langword="null"/> when the series was too short to evaluate once.</summary>
    public LeakVerdict? Final { get; init; }

    /// <summary>Gets a value indicating whether the series became <see cref="LeakState.Leaking"/> at some point.</summary>
    public bool Leaked => Timeline.Any(v => v.State == LeakState.Leaking);
}
