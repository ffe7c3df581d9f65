namespace LeakGuard.Hosting;

/// <summary>One limit that ends the process, and the usage counted against it.</summary>
/// <param name="LimitBytes">The limit.</param>
/// <param name="UsedBytes">The usage, -1 when unknown.</param>
/// <param name="Limit">Which limit (a <see cref="LimitNames"/> value).</param>
/// <param name="Usage">Which usage (a <see cref="LimitNames"/> value).</param>
/// <param name="SlackBytes">
/// How much sooner than the usage the limit may end the process: the GC's heap hard limit caps what the GC commits, its
/// commit runs ahead of the heap's size (free space, the allocation budget), and it takes memory a region at a time, so
/// the heap may die that much plus a region short of the limit. 0 for the other limits.
/// </param>
internal readonly record struct MemoryBudget(long LimitBytes, long UsedBytes, string Limit, string Usage, long SlackBytes = 0)
{
    /// <summary>Gets the share of the limit in use (may exceed 1), NaN when the usage is unknown.</summary>
    public double Utilization => UsedBytes >= 0 && LimitBytes > 0 ? (double)UsedBytes / LimitBytes : double.NaN;

    /// <summary>Gets how many bytes the usage may still grow before the limit, <see cref="long.MaxValue"/> when the usage is unknown.</summary>
    public long HeadroomBytes => UsedBytes >= 0 ? LimitBytes - UsedBytes : long.MaxValue;

    /// <summary>Expresses the limit in a signal's own terms: the value the signal has when the usage reaches the limit,
    /// if what grows is what the signal counts (the rest of the usage staying as it is).</summary>
    /// <param name="signalValue">The signal's value at the time the usage was read.</param>
    /// <returns>The signal's limit.</returns>
    public double LimitFor(double signalValue) =>
        UsedBytes >= 0 && double.IsFinite(signalValue) ? signalValue + HeadroomBytes : LimitBytes;
}
