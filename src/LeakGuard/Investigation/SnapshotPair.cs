namespace LeakGuard.Investigation;

/// <summary>The two heap snapshots a <see cref="LeakReport"/> compares.</summary>
public sealed class SnapshotPair
{
    /// <summary>Gets when the first snapshot was taken.</summary>
    public DateTimeOffset Before { get; init; }

    /// <summary>Gets when the second snapshot was taken.</summary>
    public DateTimeOffset After { get; init; }

    /// <summary>Gets how long the first snapshot paused the application, in milliseconds, or <see langword="null"/> when unknown.</summary>
    public double? BeforePauseMilliseconds { get; init; }

    /// <summary>Gets how long the second snapshot paused the application, in milliseconds, or <see langword="null"/> when unknown.</summary>
    public double? AfterPauseMilliseconds { get; init; }

    /// <summary>Describes two snapshots by their times and pauses.</summary>
    /// <param name="before">The first snapshot's summary.</param>
    /// <param name="after">The second snapshot's summary.</param>
    /// <returns>The pair.</returns>
    internal static SnapshotPair Of(HeapSnapshotSummary before, HeapSnapshotSummary after) => new()
    {
        Before = before.TakenAt,
        After = after.TakenAt,
        BeforePauseMilliseconds = before.Pause > TimeSpan.Zero ? Math.Round(before.Pause.TotalMilliseconds, 1) : null,
        AfterPauseMilliseconds = after.Pause > TimeSpan.Zero ? Math.Round(after.Pause.TotalMilliseconds, 1) : null,
    };
}
