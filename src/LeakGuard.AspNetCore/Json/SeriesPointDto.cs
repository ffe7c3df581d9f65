namespace LeakGuard.AspNetCore.Json;

/// <summary>One point of a series: the bucket's start and its floor, peak and last value.</summary>
internal sealed class SeriesPointDto
{
    /// <summary>Gets the time.</summary>
    public DateTimeOffset T { get; init; }

    /// <summary>Gets the floor.</summary>
    public double Min { get; init; }

    /// <summary>Gets the peak.</summary>
    public double Max { get; init; }

    /// <summary>Gets the last value.</summary>
    public double Last { get; init; }
}
