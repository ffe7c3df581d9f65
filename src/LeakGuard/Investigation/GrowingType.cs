namespace LeakGuard.Investigation;

/// <summary>A type whose live instances grew between two snapshots, with the paths that keep them alive.</summary>
public sealed class GrowingType
{
    private readonly IReadOnlyList<RetentionPath> _retentionPaths = [];

    /// <summary>Gets the type's readable name (generic arguments rendered as <c>Dictionary&lt;Guid, Session&gt;</c>).</summary>
    public required string Type { get; init; }

    /// <summary>Gets how many more live instances the second snapshot holds.</summary>
    public long CountDelta { get; init; }

    /// <summary>Gets how many more bytes (shallow size) the live instances take in the second snapshot.</summary>
    public long BytesDelta { get; init; }

    /// <summary>Gets the number of live instances in the second snapshot.</summary>
    public long CountAfter { get; init; }

    /// <summary>Gets the shallow bytes of the live instances in the second snapshot.</summary>
    public long BytesAfter { get; init; }

    /// <summary>Gets the shortest reference chains from GC roots to the instances, grouped by chain of type names, most common first.</summary>
    public IReadOnlyList<RetentionPath> RetentionPaths
    {
        get => _retentionPaths;

        // JSON without the member passes null here (source-generated init-only setters); a report reads as "no paths".
        init => _retentionPaths = value ?? [];
    }
}
