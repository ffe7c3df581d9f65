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

    /// <summary>
    /// Gets the labels given to <c>ExpectCollected</c> for the retained objects of this type, most frequent first
    /// (reports of the <c>retained_objects</c> signal only; <see langword="null"/> otherwise).
    /// </summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Gets the well-known leak pattern the most common retention path matches, with its fix, or <see langword="null"/>.</summary>
    public KnownPattern? Pattern { get; init; }

    /// <summary>
    /// Gets a stable hash of the type and its most common retention path (<c>lg1-</c> and 16 hex digits): the same leak
    /// in another instance or after a restart has the same signature. <see langword="null"/> in reports written before it existed.
    /// </summary>
    public string? Signature { get; init; }

    /// <summary>
    /// Gets the call stacks that allocated the type's instances between the two snapshots, most bytes first ("allocated
    /// at", beside "held by" in <see cref="RetentionPaths"/>); empty when none was sampled, <see langword="null"/> when no
    /// allocations were recorded (see <see cref="LeakReport.Allocations"/> for why).
    /// </summary>
    public IReadOnlyList<AllocationSite>? AllocationSites { get; init; }

    /// <summary>Returns a copy with the pattern and signature derived from the retention paths.</summary>
    /// <returns>The explained type.</returns>
    internal GrowingType Explained() => new()
    {
        Type = Type,
        CountDelta = CountDelta,
        BytesDelta = BytesDelta,
        CountAfter = CountAfter,
        BytesAfter = BytesAfter,
        RetentionPaths = RetentionPaths,
        Labels = Labels,
        AllocationSites = AllocationSites,
        Pattern = KnownPatterns.Match(Type, RetentionPaths),
        Signature = LeakSignature.Of(Type, RetentionPaths.Count > 0 ? RetentionPaths[0] : null),
    };
}
