namespace LeakGuard.AspNetCore.Json;

/// <summary>The body of a 202 answer to <c>POST {prefix}/api/investigate</c>.</summary>
internal sealed class InvestigationResponse
{
    /// <summary>Gets the state: <c>started</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets when the investigation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the delay between the two snapshots, in seconds: the report appears about this long after the start.</summary>
    public double SnapshotDelaySeconds { get; init; }

    /// <summary>Gets the path of the report list, where the report appears.</summary>
    public required string Reports { get; init; }
}
