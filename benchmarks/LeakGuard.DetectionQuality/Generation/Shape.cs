namespace LeakGuard.DetectionQuality.Generation;

/// <summary>The healthy behaviour a family is built on (a leak family adds a leak on top of the same behaviour).</summary>
internal enum Shape
{
    /// <summary>A constant level under noise only.</summary>
    Flat,

    /// <summary>A saturating warm-up (exponential or logarithmic).</summary>
    WarmUp,

    /// <summary>A cache filling to its cap, from start-up or later.</summary>
    Cache,

    /// <summary>Level shifts up and down.</summary>
    LevelShifts,

    /// <summary>A daily cycle tied to the wall clock, sometimes with a weekly component.</summary>
    DailyCycle,

    /// <summary>A GC sawtooth.</summary>
    Sawtooth,

    /// <summary>Short spikes.</summary>
    Spikes,

    /// <summary>Two or more of the above at once.</summary>
    Mixed,
}
