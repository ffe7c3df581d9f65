namespace LeakGuard.Testing;

/// <summary>A type whose live instances (or bytes) grew in proportion to the iterations.</summary>
/// <param name="Change">The type's counts before and after.</param>
/// <param name="Iterations">The measured iterations.</param>
/// <param name="ByBytes">Whether only its bytes grew in proportion (a growing array or buffer), not its instance count.</param>
internal readonly record struct RetainedGrowth(TypeChange Change, int Iterations, bool ByBytes)
{
    /// <summary>Gets the instances gained per iteration.</summary>
    public double InstancesPerIteration => (double)Change.CountDelta / Iterations;

    /// <summary>Gets the bytes gained per iteration.</summary>
    public double BytesPerIteration => (double)Change.BytesDelta / Iterations;
}
