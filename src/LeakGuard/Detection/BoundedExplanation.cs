namespace LeakGuard.Detection;

/// <summary>The bounded model that best explains a signal's watched life (what the detector weighed a steady rise against).</summary>
internal enum BoundedExplanation
{
    /// <summary>Nothing was fitted.</summary>
    None = 0,

    /// <summary>A constant level with noise.</summary>
    Flat,

    /// <summary>A curve that levels off: a warm-up, a cache filling up (exponential approach to a plateau).</summary>
    LevellingOff,

    /// <summary>Logarithmic growth from some onset (keeps slowing down).</summary>
    SlowingGrowth,

    /// <summary>A few level shifts up or down (load steps).</summary>
    LevelShifts,

    /// <summary>A daily cycle of plausible amplitude.</summary>
    DailyCycle,

    /// <summary>A daily cycle on top of a curve that levels off (a warm-up or a cache filling under the cycle).</summary>
    CycleAndLevellingOff,

    /// <summary>A daily cycle on top of a few level shifts.</summary>
    CycleAndLevelShifts,
}
