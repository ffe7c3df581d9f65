namespace LeakGuard.Investigation;

/// <summary>What an allocation recording saw: sampled allocations per type and folded call stack.</summary>
internal sealed class AllocationProfile
{
    /// <summary>Gets the event that was sampled.</summary>
    public required AllocationEventKind Kind { get; init; }

    /// <summary>Gets the samples per type and stack (LeakGuard's own allocations left out).</summary>
    public required IReadOnlyList<AllocationStack> Stacks { get; init; }

    /// <summary>Gets the number of samples counted.</summary>
    public long Samples { get; init; }

    /// <summary>Gets how long the recording ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Gets how long its sessions were open: less than <see cref="Duration"/> when the sample budget paused it
    /// (<see cref="SampleBudget"/>); the bytes are scaled from this time to <see cref="Duration"/>.
    /// </summary>
    public TimeSpan Recorded { get; init; }

    /// <summary>Gets the number of sessions the recording opened (1 unless the sample budget paused it).</summary>
    public int Sessions { get; init; }

    /// <summary>Gets a value indicating whether the recording stopped at its sample cap before the window ended.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Gets a value indicating whether the stacks' surviving samples are known (else they are 0).</summary>
    public bool SurvivalKnown { get; init; }

    /// <summary>Gets why survival is unknown, or <see langword="null"/>.</summary>
    public string? SurvivalMissing { get; init; }

    /// <summary>Gets the number of blocking garbage collections whose verdicts were followed.</summary>
    public int GarbageCollections { get; init; }
}
