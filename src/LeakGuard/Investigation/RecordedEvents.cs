namespace LeakGuard.Investigation;

/// <summary>
/// The runtime events an allocation recording reads, by event ID: an AllocationSampled recording asks the runtime for these
/// alone (an EventPipe per-provider event filter), because the keywords that carry them carry far more that nobody reads.
/// </summary>
/// <remarks>
/// Counted under the overhead harness's workload (docs/performance.md, "Allocation stacks"), per GC: the
/// GCHeapSurvivalAndMovement keyword brings about 41 <c>GCGenerationRange</c> events (one per region) besides its two or
/// three range events, the GC keyword about 14 more (suspension and restart, heap statistics and histories, mark and
/// finalizer events), and the JIT keyword at Verbose a <c>MethodJittingStarted</c> and a <c>MemoryAllocatedForJitCode</c>
/// for each <c>MethodLoadVerbose</c>. Each was stack-walked, written by the runtime's EventPipe thread and parsed by the
/// reader; filtered out, they never leave the runtime.
/// </remarks>
internal static class RecordedEvents
{
    /// <summary><c>GCStart</c>: a GC's number, depth and type.</summary>
    public const uint GcStart = 1;

    /// <summary><c>GCEnd</c>.</summary>
    public const uint GcEnd = 2;

    /// <summary><c>GCBulkSurvivingObjectRanges</c>.</summary>
    public const uint GcBulkSurvivingObjectRanges = 21;

    /// <summary><c>GCBulkMovedObjectRanges</c>.</summary>
    public const uint GcBulkMovedObjectRanges = 22;

    /// <summary><c>AllocationSampled</c>.</summary>
    public const uint AllocationSampled = 303;

    /// <summary>Gets the IDs a recording reads, or <see langword="null"/> when its session is not filtered.</summary>
    /// <param name="kind">
    /// The event sampled. Only an <c>AllocationSampled</c> recording is filtered: the filter needs .NET 10's CollectTracing5
    /// command, which <c>AllocationSampled</c> implies, and measured on .NET 10.0.12 a filtered session received
    /// <c>GCAllocationTick</c> for large objects only (0.1 per GC against 55 unfiltered), so the fallback stays unfiltered.
    /// </param>
    /// <param name="trackSurvival">Whether it follows its samples through the GCs.</param>
    /// <returns>The event IDs, in ascending order.</returns>
    public static uint[]? Ids(AllocationEventKind kind, bool trackSurvival)
    {
        if (kind != AllocationEventKind.Sampled)
        {
            return null;
        }

        var ids = new List<uint> { AllocationSampled };
        if (trackSurvival)
        {
            ids.AddRange([GcStart, GcEnd, GcBulkSurvivingObjectRanges, GcBulkMovedObjectRanges]);
        }

        ids.Sort();
        return [.. ids];
    }
}
