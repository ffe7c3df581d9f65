namespace LeakGuard.Detection;

/// <summary>The result of analysing one horizon's floors (rates are per second).</summary>
internal readonly struct HorizonResult
{
    /// <summary>Gets the conclusion.</summary>
    public HorizonOutcome Outcome { get; init; }

    /// <summary>Gets the number of buckets analysed.</summary>
    public int Points { get; init; }

    /// <summary>Gets the time between the first and the last bucket analysed.</summary>
    public double SpanSeconds { get; init; }

    /// <summary>Gets the Theil–Sen slope per second.</summary>
    public double Slope { get; init; }

    /// <summary>Gets the lower bound of the slope's confidence interval.</summary>
    public double Lower { get; init; }

    /// <summary>Gets the upper bound of the slope's confidence interval.</summary>
    public double Upper { get; init; }

    /// <summary>Gets the one-sided p-value of the corrected Mann–Kendall test.</summary>
    public double PValue { get; init; }

    /// <summary>Gets the fitted growth over the window (slope × span).</summary>
    public double Growth { get; init; }

    /// <summary>Gets the growth the window had to exceed.</summary>
    public double RequiredGrowth { get; init; }

    /// <summary>Gets the last floor analysed.</summary>
    public double Last { get; init; }

    /// <summary>Gets a value indicating whether the window grows significantly but its last third clearly slower (saturating growth).</summary>
    public bool Decelerating { get; init; }

    /// <summary>Gets the robust standard deviation of the floors around a separate line through each half (0 when not measured).</summary>
    public double Noise { get; init; }

    /// <summary>Gets the lag-1 autocorrelation of the floors around a line through each half (bias-corrected; 0 when not measured).</summary>
    public double LagOne { get; init; }

    /// <summary>
    /// Gets the lower of the two halves' own lag-1 autocorrelations (each bias-corrected): noise is correlated in both
    /// halves, while a leak's onset bends only one, so this is the estimate a longer horizon lends to shorter ones.
    /// </summary>
    public double LagOneLow { get; init; }

    /// <summary>
    /// Gets the lag-1 autocorrelation of the last half's floors around its own line, uncorrected (the piece the
    /// detector adds to its pooled noise estimate; 0 when not measured, see <see cref="TailPoints"/>).
    /// </summary>
    public double TailLagOne { get; init; }

    /// <summary>Gets the number of floors in the last half whose lag-1 is <see cref="TailLagOne"/> (0 when not measured).</summary>
    public int TailPoints { get; init; }

    /// <summary>Gets the pooled lag-1 autocorrelation the window was judged with (NaN when the pool was still young).</summary>
    public double PooledLagOne { get; init; }

    /// <summary>Gets a value indicating whether the corrected Mann–Kendall test found a significant upward trend.</summary>
    public bool Significant { get; init; }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    public bool Passed => Outcome == HorizonOutcome.Growing;
}
