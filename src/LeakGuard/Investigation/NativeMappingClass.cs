namespace LeakGuard.Investigation;

/// <summary>Resident memory of one class of mappings at the two native readings.</summary>
public sealed class NativeMappingClass
{
    /// <summary>
    /// Gets the class: <c>mallocHeap</c>, <c>mallocArenas</c>, <c>threadStacks</c>, <c>gcHeap</c>, <c>jitCode</c>,
    /// <c>mappedFiles</c>, <c>otherAnonymous</c> or <c>other</c>.
    /// </summary>
    public required string Class { get; init; }

    /// <summary>Gets the resident bytes at the first reading.</summary>
    public long RssBytesBefore { get; init; }

    /// <summary>Gets the resident bytes at the second reading.</summary>
    public long RssBytesAfter { get; init; }

    /// <summary>Gets the accessible mappings at the first reading.</summary>
    public int MappingsBefore { get; init; }

    /// <summary>Gets the accessible mappings at the second reading.</summary>
    public int MappingsAfter { get; init; }
}
