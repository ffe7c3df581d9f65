namespace LeakGuard.Investigation;

/// <summary>How many live instances of one type a snapshot holds and how many bytes they take.</summary>
public sealed class TypeStatistics
{
    /// <summary>Gets the type's readable name.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the number of live instances.</summary>
    public long Count { get; init; }

    /// <summary>Gets the shallow size of the live instances, in bytes.</summary>
    public long Bytes { get; init; }
}
