namespace LeakGuard.Investigation;

/// <summary>A type allocated during an on-demand allocation recording, with the stacks that allocated it most.</summary>
public sealed class AllocatedType
{
    private readonly IReadOnlyList<AllocationSite> _sites = [];

    /// <summary>Gets the type's readable name (as in leak reports).</summary>
    public required string Type { get; init; }

    /// <summary>Gets the estimated bytes of the type allocated during the recording.</summary>
    public long EstimatedBytes { get; init; }

    /// <summary>Gets the number of allocation samples behind the estimate.</summary>
    public long Samples { get; init; }

    /// <summary>Gets the stacks that allocated the type most, most bytes first (at most three).</summary>
    public IReadOnlyList<AllocationSite> Sites
    {
        get => _sites;

        // JSON without the member passes null here (source-generated init-only setters).
        init => _sites = value ?? [];
    }
}
