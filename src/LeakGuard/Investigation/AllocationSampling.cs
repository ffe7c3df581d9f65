namespace LeakGuard.Investigation;

/// <summary>The runtime's allocation sampling events: which one to ask for and what one sample stands for.</summary>
internal static class AllocationSampling
{
    /// <summary>The runtime provider's <c>AllocationSampled</c> keyword (.NET 10).</summary>
    public const long AllocationSampledKeyword = 0x80000000000;

    /// <summary>The runtime provider's GC keyword, which carries <c>GCAllocationTick</c> at Verbose level.</summary>
    public const long GcKeyword = 0x1;

    /// <summary>
    /// The runtime provider's GCHeapSurvivalAndMovement keyword: <c>GCBulkSurvivingObjectRanges</c> and
    /// <c>GCBulkMovedObjectRanges</c>, which say where each GC's surviving objects were and went.
    /// </summary>
    public const long SurvivalKeyword = 0x400000;

    /// <summary>The runtime's mean distance between two sampled bytes (its documented sampling rate).</summary>
    public const double MeanBytesBetweenSamples = 102_400;

    /// <summary>Gets the event the running runtime offers: <c>AllocationSampled</c> from .NET 10, else <c>GCAllocationTick</c>.</summary>
    /// <param name="runtime">The runtime version (<see cref="Environment.Version"/>).</param>
    /// <returns>The event kind.</returns>
    public static AllocationEventKind For(Version runtime) => runtime.Major >= 10 ? AllocationEventKind.Sampled : AllocationEventKind.Tick;

    /// <summary>Gets the name of an event kind as the report shows it.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><c>AllocationSampled</c> or <c>AllocationTick</c>.</returns>
    public static string Name(AllocationEventKind kind) => kind == AllocationEventKind.Sampled ? "AllocationSampled" : "AllocationTick";

    /// <summary>
    /// Estimates the bytes one <c>AllocationSampled</c> sample stands for. Each byte is sampled with probability
    /// p = 1/102 400, so an object of <paramref name="objectSize"/> bytes is sampled with probability 1 − q^size (q = 1 − p);
    /// weighting each sample by size / (1 − q^size) makes the sum an unbiased estimate of the bytes allocated.
    /// </summary>
    /// <param name="objectSize">The sampled object's size in bytes.</param>
    /// <returns>The estimated bytes (about 100 KB for small objects, about the size itself for very large ones).</returns>
    public static double EstimatedBytes(long objectSize)
    {
        if (objectSize <= 0)
        {
            return 0;
        }

        // Even for a 24-byte object 1 − q^size is 2.3e-4, far above double's rounding of q^size (1e-16 × size).
        var sampled = 1 - Math.Pow(1 - (1 / MeanBytesBetweenSamples), objectSize);
        return objectSize / sampled;
    }
}
