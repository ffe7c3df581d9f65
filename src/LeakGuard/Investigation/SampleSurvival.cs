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
    /// unjudged bytes at the survival rate of the judged ones — the stack's own when it has any, else
    /// <paramref name="fallbackRate"/> (its type's, <see cref="RateOf"/>), else all of them (no evidence of death). A
    /// stack's objects allocated after the last GC are thus weighed by what became of its earlier ones, rather than all
    /// counted alive — measured on the web sample, 2–3 GCs ran in a 5-s window and the churn allocated after the last
    /// one outweighed the leak; and a stack none of whose samples was judged is weighed like its type's judged samples
    /// — measured on the web sample, two stacks of the traffic simulator's short-lived 4 KB arrays had no judged sample
    /// at the window's end in about one run in four and, counted alive, outweighed the cache leak's judged-alive arrays.
    /// </summary>
    /// <param name="allocatedBytes">The stack's estimated bytes allocated (judged or not, dead or alive).</param>
    /// <param name="fallbackRate">The rate for a stack with no judged sample, or <see langword="null"/> for none.</param>
    /// <returns>The estimated surviving bytes.</returns>
    public double EstimatedSurvivingBytes(double allocatedBytes, double? fallbackRate = null)
    {
        var judged = JudgedBytes(allocatedBytes);
        var rate = judged > 0 ? Math.Min(1, Bytes / judged) : fallbackRate ?? 1;
        return Bytes + (UnjudgedBytes * Math.Clamp(rate, 0, 1));
    }

    /// <summary>Gets the survival rate of the judged samples of several stacks together (a type's).</summary>
    /// <param name="stacks">Each stack's survival and estimated bytes allocated.</param>
    /// <returns>The judged bytes found alive over the judged bytes, or <see langword="null"/> when none was judged.</returns>
    public static double? RateOf(IEnumerable<(SampleSurvival Survival, double AllocatedBytes)> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        double alive = 0, judged = 0;
        foreach (var (survival, allocated) in stacks)
        {
            var stackJudged = survival.JudgedBytes(allocated);
            if (stackJudged > 0)
            {
                alive += survival.Bytes;
                judged += stackJudged;
            }
        }

        return judged > 0 ? Math.Min(1, alive / judged) : null;
    }

    /// <summary>Gets the estimated bytes of this stack's samples that a GC judged (dead or alive).</summary>
    private double JudgedBytes(double allocatedBytes) => allocatedBytes - UnjudgedBytes;
}
