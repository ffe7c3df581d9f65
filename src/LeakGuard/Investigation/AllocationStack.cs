namespace LeakGuard.Investigation;

/// <summary>The sampled allocations of one type on one folded call stack.</summary>
/// <param name="TypeId">The type's id (its method table in this process).</param>
/// <param name="RawTypeName">The type's name as the runtime reported it.</param>
/// <param name="Frames">The folded frames, innermost first; empty when the stack is unknown.</param>
/// <param name="Samples">The number of samples.</param>
/// <param name="EstimatedBytes">The bytes the samples stand for.</param>
/// <param name="Survival">What became of the samples' objects by the end of the recording (zero when survival is unknown).</param>
internal sealed record AllocationStack(
    ulong TypeId, string RawTypeName, string[] Frames, long Samples, double EstimatedBytes, SampleSurvival Survival = default);
