namespace LeakGuard.Investigation;

/// <summary>The result of <see cref="ILeakMonitor.RecordAllocationsAsync"/>: the types allocated most while it ran, with their stacks.</summary>
public sealed class AllocationRecordingResult
{
    /// <summary>Gets how the allocations were recorded (event, samples, duration).</summary>
    public required RecordedAllocations Recording { get; init; }

    /// <summary>Gets the types allocated most (at most twenty), most estimated bytes first; LeakGuard's own allocations left out.</summary>
    public required IReadOnlyList<AllocatedType> Types { get; init; }
}
