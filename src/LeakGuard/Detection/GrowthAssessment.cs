namespace LeakGuard.Detection;

/// <summary>
/// What the model comparison concluded about one signal's watched life: how strongly a steady rise from some onset
/// explains it better than every bounded explanation, and that rise's rate with its uncertainty. Rates are per second.
/// </summary>
internal readonly struct GrowthAssessment
{
    /// <summary>Gets the number of floors compared.</summary>
    public int Points { get; init; }

    /// <summary>Gets the time the floors span, in seconds.</summary>
    public double SpanSeconds { get; init; }

    /// <summary>
    /// Gets the evidence for unbounded growth: half the difference of the Bayesian information criteria of the best bounded
    /// model and the best model with a steady rise, with the sample size reduced for the residuals' autocorrelation
    /// (≈ the log of the Bayes factor; 0 = no preference, negative = the bounded model is better).
    /// </summary>
    public double Evidence { get; init; }

    /// <summary>
    /// Gets the evidence for the rise against the level it starts from alone — a flat level, or for a rise after a level shift
    /// those two levels (is it rising at all, whatever the explanation).
    /// </summary>
    public double RiseEvidence { get; init; }

    /// <summary>Gets the bounded model that explained the life best.</summary>
    public BoundedExplanation Explanation { get; init; }

    /// <summary>Gets the rise's rate, per second (0 when no rising model fitted).</summary>
    public double Slope { get; init; }

    /// <summary>Gets the rate's standard error, inflated for autocorrelated noise.</summary>
    public double SlopeError { get; init; }

    /// <summary>Gets the rise's onset, in seconds after the first floor.</summary>
    public double OnsetSeconds { get; init; }

    /// <summary>Gets the growth of the rise since its onset (rate × time since onset).</summary>
    public double Growth { get; init; }

    /// <summary>Gets the lag-1 autocorrelation of the rising model's residuals the sample size was reduced with.</summary>
    public double LagOne { get; init; }

    /// <summary>Gets the last floor.</summary>
    public double Last { get; init; }

    /// <summary>Gets the median floor (the level that relative thresholds refer to).</summary>
    public double Level { get; init; }

    /// <summary>Gets a value indicating whether a comparison ran (enough floors over enough time).</summary>
    public bool Judged => Points > 0;
}
