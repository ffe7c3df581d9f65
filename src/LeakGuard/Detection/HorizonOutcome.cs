namespace LeakGuard.Detection;

/// <summary>What one horizon's analysis concluded, in the order the checks run.</summary>
internal enum HorizonOutcome
{
    /// <summary>Fewer buckets than <see cref="DetectorSettings.MinPoints"/> after the warm-up.</summary>
    TooFewPoints = 0,

    /// <summary>The noise is so autocorrelated that the window spans too few correlation times to judge.</summary>
    TooCorrelated,

    /// <summary>Mann–Kendall (corrected for autocorrelation) found no significant upward trend.</summary>
    NotSignificant,

    /// <summary>The Theil–Sen slope's confidence interval includes zero.</summary>
    IntervalIncludesZero,

    /// <summary>The growth is below the noise-based or the configured minimum.</summary>
    TooLittleGrowth,

    /// <summary>The recent part of the window is no longer growing (saturating warm-up, cache filling up).</summary>
    Plateau,

    /// <summary>The growth is a few level shifts (load steps), which a piecewise-constant fit explains far better than a line.</summary>
    LevelShifts,

    /// <summary>Day-over-day floors do not grow: the rise is part of a daily cycle.</summary>
    DailyCycle,

    /// <summary>Every check passed: sustained, significant growth.</summary>
    Growing,
}
