namespace LeakGuard.Investigation;

/// <summary>What became of the sampled objects of one type and stack by the end of a recording.</summary>
/// <param name="Samples">The samples whose objects a GC condemned and found alive (and no later GC found dead).</param>
/// <param name="Bytes">The bytes those samples stand for.</param>
/// <param name="UnjudgedSamples">The samples whose objects no GC has condemned since they were allocated: alive or not, unknown.</param>
/// <param name="UnjudgedBytes">The bytes those samples stand for.</param>
internal readonly record struct SampleSurvival(long Samples, double Bytes, long UnjudgedSamples, double UnjudgedBytes)
{
    /// <summary>Adds two counts.</summary>
    /// <param name="other">The other counts.</param>
    /// <returns>The sums.</returns>
    public SampleSurvival Plus(SampleSurvival other) =>
        new(Samples + other.Samples, Bytes + other.Bytes, UnjudgedSamples + other.UnjudgedSamples, UnjudgedBytes + other.UnjudgedBytes);

    /// <summary>Multiplies the bytes (not the samples) by a factor.</summary>
    /// <param name="factor">The factor.</param>
    /// <returns>The scaled counts.</returns>
    public SampleSurvival Scaled(double factor) => this with { Bytes = Bytes * factor, UnjudgedBytes = UnjudgedBytes * factor };

    /// <summary>
    /// Estimates the bytes alive at the end out of <paramref name="allocatedBytes"/>: the bytes found alive, plus the
    /// unjudged bytes at the survival rate of the judged ones (all of them when none was judged). A stack's objects
    /// allocated after the last GC are thus weighed by what became of its earlier ones, rather than all counted alive —
    /// measured on the web sample, 2–3 GCs ran in a 5-s window and the churn allocated after the last one outweighed the leak.
    /// </summary>
    /// <param name="allocatedBytes">The stack's estimated bytes allocated (judged or not, dead or alive).</param>
    /// <returns>The estimated surviving bytes.</returns>
    public double EstimatedSurvivingBytes(double allocatedBytes)
    {
        var judged = allocatedBytes - UnjudgedBytes;
        return judged > 0 ? Bytes + (UnjudgedBytes * Math.Min(1, Bytes / judged)) : Bytes + UnjudgedBytes;
    }
}
