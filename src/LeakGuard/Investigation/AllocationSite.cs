namespace LeakGuard.Investigation;

/// <summary>A call stack that allocated instances of a growing type while the investigation's window was open.</summary>
public sealed class AllocationSite
{
    private readonly IReadOnlyList<string> _frames = [];

    /// <summary>
    /// Gets the frames, innermost (the allocating method) first, as <c>Module!Namespace.Type.Method(arguments)</c>;
    /// the runtime's own frames are left out and a run of LeakGuard's frames reads <c>[LeakGuard]</c>. Empty when the
    /// samples came without a usable stack.
    /// </summary>
    public IReadOnlyList<string> Frames
    {
        get => _frames;

        // JSON without the member passes null here (source-generated init-only setters).
        init => _frames = value ?? [];
    }

    /// <summary>Gets the share (0–1) of the type's estimated allocated bytes in the window that this stack allocated.</summary>
    public double Share { get; init; }

    /// <summary>Gets the estimated bytes of the type this stack allocated in the window (sampled, so an estimate).</summary>
    public long EstimatedBytes { get; init; }

    /// <summary>Gets the number of allocation samples behind the estimate (few samples: a rough estimate).</summary>
    public long Samples { get; init; }

    /// <summary>
    /// Gets the estimated bytes of the type this stack allocated in the window that were still alive at its end, which the
    /// sites are ranked by: the sampled objects are followed through the GCs; those allocated after the last GC that could
    /// have collected them count at the survival rate of the stack's earlier ones. <see langword="null"/> when survival was
    /// not known and the sites are ranked by <see cref="EstimatedBytes"/> (<see cref="RecordedAllocations.SurvivalMissing"/> says why).
    /// </summary>
    public long? SurvivingBytes { get; init; }

    /// <summary>Gets the share (0–1) of the type's estimated surviving bytes that this stack allocated; <see langword="null"/> when survival was not known.</summary>
    public double? SurvivingShare { get; init; }

    /// <summary>
    /// Gets the number of this stack's samples whose objects a GC in the window found alive (and no later one dead);
    /// <see langword="null"/> when survival was not known.
    /// </summary>
    public long? SurvivingSamples { get; init; }
}
