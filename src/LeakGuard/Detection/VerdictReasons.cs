using System.Globalization;

namespace LeakGuard.Detection;

/// <summary>
/// The words behind a verdict: one sentence per state and decision, saying what decided it in terms an operator uses
/// (built once, so an evaluation allocates no strings). The numbers are in the verdict's own fields.
/// </summary>
internal static class VerdictReasons
{
    /// <summary>The reason while the warm-up lasts or too little history exists.</summary>
    public const string WarmingUp = "Warming up: not enough history after the warm-up period to judge the trend yet.";

    /// <summary>The reason while the signal settles after LeakGuard's own heap snapshot (see <see cref="SignalDetector.Restart"/>).</summary>
    public const string Settling = "Settling: LeakGuard's own heap snapshot raised the process's memory; the trend is judged again after a warm-up period.";

    /// <summary>The reason while a sawtooth's troughs are too few to judge (see <see cref="Teeth"/>).</summary>
    public const string WaitingForTroughs = "Waiting for troughs: the signal is a sawtooth whose teeth are long against the window, so its floors are its troughs; it is judged once the watched life holds 16 of them.";

    /// <summary>
    /// The reason when a signal the GC inflates between full collections rises, but no full collection has confirmed the rise
    /// yet (see <see cref="SignalDetector.InflatedBetweenFullCollections"/>).
    /// </summary>
    public const string Unconfirmed = "Stable: the floor rises, but no full collection has confirmed it yet; until one does, garbage promoted since the last one could be all of it.";

    /// <summary>The reason when a state is kept without a fresh assessment (too little history since a restart of the warm-up).</summary>
    public const string HeldWithoutHistory = "State kept: too little fresh history to judge again yet.";

    private static readonly BoundedExplanation[] Explanations = Enum.GetValues<BoundedExplanation>();
    private static readonly string[] Stable = Build(e => $"Stable: the memory floor is explained by {Describe(e)}; no steady rise stands out.");
    private static readonly string[] Rising = Build(e => $"Rising: the floor climbs steadily, but {Describe(e)} could still explain it; watching for more history.");
    private static readonly string[] Young = Build(e => $"Rising: a steady rise explains the history clearly better than {Describe(e)}, but it is younger than the longest warm-up and has not doubled, so it may still level off; watching for more history.");
    private static readonly string[] YoungInDay = Build(e => $"Rising: a steady rise explains the history clearly better than {Describe(e)}, but it began within the first day watched, has lasted under half a day and has not outgrown a daily cycle's swing, so it may be a daily cycle's rising half; watching for more history.");
    private static readonly string[] Unbounded = Build(e => $"Leaking: a steady rise that has not levelled off explains the history clearly better than {Describe(e)}.");
    private static readonly string[] StillRising = Build(e => $"Leaking: the floor keeps rising steadily; the latest history alone would not yet rule out {Describe(e)}, so the alarm holds.");
    private static readonly string[] Held = Build(e => $"Still leaking: the rise has paused and the history now looks like {Describe(e)}, but not for long enough to call it over.");
    private static readonly string[] Fading = Build(e => $"Suspicion fading: the history now looks like {Describe(e)}; cleared if that lasts.");

    /// <summary>The reason when urgency decided: a rise projected to reach the limit within the urgency horizon.</summary>
    public const string Urgent = "Leaking: the floor rises fast enough to reach the limit within the urgency horizon, before a longer history could prove it unbounded.";

    /// <summary>The reason when the recent look decided: the newest stretch, at the finest grain, rises above anything the watched life showed before and reaches the limit within the urgency horizon.</summary>
    public const string UrgentRecently = "Leaking: the floor's newest stretch rises above anything earlier in the watched life, fast enough to reach the limit within the urgency horizon, before a longer history could prove it unbounded.";

    /// <summary>What a reason adds when the daily cycle earlier lifetimes showed was taken out of the floors (after a restart).</summary>
    public const string PriorCycleNote = " (Judged with the daily cycle of earlier lifetimes taken out.)";

    private static readonly Dictionary<string, string> WithPriorCycle = Stable.Concat(Rising).Concat(Young).Concat(YoungInDay).Concat(Unbounded).Concat(StillRising).Concat(Held).Concat(Fading).Append(Urgent)
        .Distinct().ToDictionary(r => r, r => r + PriorCycleNote);

    /// <summary>The reason for a state and what decided it.</summary>
    /// <param name="state">The state after hysteresis.</param>
    /// <param name="urgent">Whether urgency decided this evaluation.</param>
    /// <param name="unbounded">Whether the evidence reached the leak threshold in this evaluation.</param>
    /// <param name="explanation">The best bounded explanation.</param>
    /// <param name="rising">Whether the floor still rises materially (growth and rate interval).</param>
    /// <param name="suspected">Whether this evaluation's evidence reached the suspicion threshold (without urgency or the leak threshold).</param>
    /// <param name="priorCycle">Whether the daily cycle of earlier lifetimes was taken out of the floors judged.</param>
    /// <param name="young">
    /// Whether the evidence reached the leak threshold but the rise is not yet past what an unfinished warm-up or a daily
    /// cycle's rising half could be, and which.
    /// </param>
    /// <returns>The sentence.</returns>
    public static string For(LeakState state, bool urgent, bool unbounded, BoundedExplanation explanation, bool rising = false, bool suspected = false, bool priorCycle = false, YoungRise young = YoungRise.None)
    {
        var reason = For(state, urgent, unbounded, (int)explanation, rising, suspected, young);
        return priorCycle && WithPriorCycle.TryGetValue(reason, out var withCycle) ? withCycle : reason;
    }

    private static string For(LeakState state, bool urgent, bool unbounded, int e, bool rising, bool suspected, YoungRise young)
    {
        return state switch
        {
            LeakState.Suspected when young == YoungRise.WarmUp && suspected => Young[e],
            LeakState.Suspected when young == YoungRise.DailyCycle && suspected => YoungInDay[e],
            LeakState.Leaking when urgent => Urgent,
            LeakState.Leaking when unbounded => Unbounded[e],
            LeakState.Leaking when rising => StillRising[e],
            LeakState.Leaking => Held[e],
            LeakState.Suspected when urgent || unbounded || suspected => Rising[e],
            LeakState.Suspected => Fading[e],
            LeakState.Stable when urgent || unbounded => Rising[e],
            LeakState.Stable => Stable[e],
            _ => WarmingUp,
        };
    }

    /// <summary>Formats a duration compactly (45 s, 10 min, 2.7 h, 1.8 d).</summary>
    /// <param name="span">The duration.</param>
    /// <returns>The text.</returns>
    public static string Describe(TimeSpan span) => span.TotalSeconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} d"),
    };

    private static string Describe(BoundedExplanation explanation) => explanation switch
    {
        BoundedExplanation.LevellingOff => "a warm-up or a cache levelling off",
        BoundedExplanation.SlowingGrowth => "growth that keeps slowing down",
        BoundedExplanation.LevelShifts => "a few level shifts (load changes)",
        BoundedExplanation.DailyCycle => "a daily cycle",
        BoundedExplanation.CycleAndLevellingOff => "a daily cycle over a warm-up or a cache levelling off",
        BoundedExplanation.CycleAndLevelShifts => "a daily cycle over a few level shifts",
        _ => "a flat level with noise",
    };

    private static string[] Build(Func<BoundedExplanation, string> text)
    {
        var reasons = new string[Explanations.Length];
        foreach (var e in Explanations)
        {
            reasons[(int)e] = text(e);
        }

        return reasons;
    }
}
