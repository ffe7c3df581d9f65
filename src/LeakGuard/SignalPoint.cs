namespace LeakGuard;

/// <summary>One downsampled bucket of a signal: its minimum (floor), maximum and last value.</summary>
public readonly struct SignalPoint
{
    /// <summary>Gets the start of the bucket.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the smallest value in the bucket (the floor, which removes GC sawtooth).</summary>
    public double Min { get; init; }

    /// <summary>Gets the largest value in the bucket.</summary>
    public double Max { get; init; }

    /// <summary>Gets the last value in the bucket.</summary>
    public double Last { get; init; }
}
