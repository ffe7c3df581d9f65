namespace LeakGuard.Investigation;

/// <summary>The two heap snapshots a <see cref="LeakReport"/> compares.</summary>
public sealed class SnapshotPair
{
    /// <summary>Gets when the first snapshot was taken.</summary>
    public DateTimeOffset Before { get; init; }

    /// <summary>Gets when the second snapshot was taken.</summary>
    public DateTimeOffset After { get; init; }
}
