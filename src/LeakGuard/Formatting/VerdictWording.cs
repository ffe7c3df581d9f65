namespace LeakGuard.Formatting;

/// <summary>
/// A verdict in the words an on-call engineer uses, keyed on its state (and, for the two pauses the detector names,
/// its reason's opening word); the detector's own reason stays available as the detail behind it.
/// </summary>
internal static class VerdictWording
{
    /// <summary>Says in one short sentence what a verdict means for the service.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The sentence.</returns>
    public static string Summary(LeakVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var window = verdict.Horizon > TimeSpan.Zero ? Readable.Duration(verdict.Horizon) : null;
        return verdict.State switch
        {
            LeakState.InsufficientData when verdict.Reason.StartsWith("Settling", StringComparison.Ordinal) =>
                "Settling after LeakGuard's own heap snapshot; judged again shortly.",
            LeakState.InsufficientData => "Collecting data: too little history yet to judge.",
            LeakState.Stable => "No steady growth.",
            LeakState.Suspected when IsPaused(verdict) => "Growth has paused; still suspected until a full window passes without it.",
            LeakState.Suspected => window is null
                ? "Growing steadily; waiting for a longer window to confirm."
                : $"Growing steadily over the last {window}; waiting for a longer window to confirm.",
            LeakState.Leaking when IsPaused(verdict) => "Growth has paused; still counted as a leak until a full window passes without it.",
            _ => window is null ? "Leaking: growing steadily." : $"Leaking: growing steadily over the last {window}.",
        };
    }

    /// <summary>Formats a verdict's growth rate, or says that a held suspicion is not growing right now.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The text.</returns>
    public static string Rate(LeakVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return IsPaused(verdict) ? "paused" : Readable.Rate(verdict.GrowthRatePerSecond, LeakSignals.GrowsInBytes(verdict.Signal));
    }

    /// <summary>Formats the projected time to the memory limit: only for a signal judged to grow (a stable signal's drift projects nothing).</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The text, or <see langword="null"/> when there is nothing to project.</returns>
    public static string? TimeToLimit(LeakVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.State >= LeakState.Suspected && !IsPaused(verdict) && verdict.TimeToLimit is { } ttl ? Readable.Duration(ttl) : null;
    }

    /// <summary>A suspicion the detector holds while no horizon currently shows growth (hysteresis): its rate is not a growth rate.</summary>
    private static bool IsPaused(LeakVerdict verdict) =>
        verdict.State >= LeakState.Suspected && !(verdict.GrowthRatePerSecond > 0);
}
