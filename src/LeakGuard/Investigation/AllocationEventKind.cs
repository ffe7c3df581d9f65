namespace LeakGuard.Investigation;

/// <summary>Which runtime event an allocation recording samples.</summary>
internal enum AllocationEventKind
{
    /// <summary>
    /// .NET 10's randomized <c>AllocationSampled</c> (keyword <c>0x80000000000</c>, Informational): every allocated byte is
    /// sampled with probability 1/102 400, so each sample is an unbiased draw.
    /// </summary>
    Sampled,

    /// <summary>
    /// <c>GCAllocationTick</c> (GC keyword <c>0x1</c>, Verbose), where <see cref="Sampled"/> is missing (net8.0 hosts): one
    /// event each time about 100 KB were allocated, naming the object that crossed the threshold.
    /// </summary>
    Tick,
}
