namespace LeakGuard.AspNetCore.Json;

/// <summary>An event drawn on a chart's time axis: the signal's verdict change, or a heap snapshot of an investigation.</summary>
internal sealed class SeriesMarkerDto
{
    /// <summary>The kind of a verdict change.</summary>
    public const string Verdict = "verdict";

    /// <summary>The kind of a heap snapshot.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset T { get; init; }

    /// <summary>Gets the kind: <see cref="Verdict"/> or <see cref="Snapshot"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the words shown beside it (<c>Leaking</c>, <c>heap snapshot</c>).</summary>
    public required string Label { get; init; }
}
