namespace LeakGuard.Detection;

/// <summary>
/// The per-signal thresholds: how finely values are compared (quantisation, so jitter counts as ties) and
/// how much a signal must grow within a horizon before growth can count as a leak.
/// </summary>
internal sealed class SignalProfile
{
    /// <summary>Gets the fixed quantum values are rounded to (1 for counts; 0 for none).</summary>
    public double QuantumAbsolute { get; init; }

    /// <summary>Gets the quantum as a fraction of the signal's level (0.001 = 0.1 % for memory; 0 for none).</summary>
    public double QuantumRelative { get; init; }

    /// <summary>Gets the minimum growth in signal units (bytes, threads, handles…); 0 for none.</summary>
    public double MinGrowthAbsolute { get; init; }

    /// <summary>Gets the minimum growth as a fraction of the signal's level (0.05 = 5 %); 0 for none.</summary>
    public double MinGrowthRelative { get; init; }

    /// <summary>Gets the quantum for a window whose median level is <paramref name="level"/>.</summary>
    /// <param name="level">The median level.</param>
    /// <returns>The quantum, or 0 for none.</returns>
    public double Quantum(double level) => Math.Max(QuantumAbsolute, QuantumRelative * Math.Abs(level));

    /// <summary>
    /// Gets the minimum growth for a window at <paramref name="level"/>. When both an absolute and a relative
    /// minimum are set the smaller applies, so a 50 MB service need not grow 8 MiB and a 20 GB one need not grow 5 %.
    /// </summary>
    /// <param name="level">The median level.</param>
    /// <returns>The minimum growth in signal units.</returns>
    public double MinGrowth(double level)
    {
        var relative = MinGrowthRelative * Math.Abs(level);
        if (MinGrowthAbsolute > 0 && relative > 0)
        {
            return Math.Min(MinGrowthAbsolute, relative);
        }

        return Math.Max(MinGrowthAbsolute, relative);
    }
}
