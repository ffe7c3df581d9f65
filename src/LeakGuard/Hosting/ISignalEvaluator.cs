using LeakGuard.Buffering;

namespace LeakGuard.Hosting;

/// <summary>Judges one signal's history (the seam between the pipeline and <see cref="Detection.SignalDetector"/>, so tests can script verdicts).</summary>
internal interface ISignalEvaluator
{
    /// <summary>Evaluates the signal; called when its finest bucket closes.</summary>
    /// <param name="now">The evaluation time.</param>
    /// <param name="history">The signal's downsampled history.</param>
    /// <param name="limit">The limit the signal grows towards, or <see langword="null"/>.</param>
    /// <returns>The verdict.</returns>
    LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit);

    /// <summary>Restarts the signal's warm-up after LeakGuard itself disturbed it (a heap snapshot raises resident memory).</summary>
    /// <param name="disturbedUntil">The latest time the disturbance was seen.</param>
    void Restart(DateTimeOffset disturbedUntil)
    {
    }

    /// <summary>
    /// Tells a sum's evaluator whether any of its parts rises (process memory = the GC's heap + native memory), before
    /// the next <see cref="Evaluate"/>; <see langword="null"/> when the parts are not known.
    /// </summary>
    /// <param name="partsRising">Whether a part's rate interval lies above zero.</param>
    void SetPartsRising(bool? partsRising)
    {
    }

    /// <summary>
    /// Tells the evaluator of a signal the GC inflates between full collections (the managed heap, generation 2, the
    /// large-object heap) its value after the latest full collection, before the next <see cref="Evaluate"/>; its urgency
    /// then waits for a full collection to confirm a rise.
    /// </summary>
    /// <param name="lastFullCollection">The value after the latest full collection, or <see langword="null"/> before the first.</param>
    void SetFullCollection(Detection.FullCollection? lastFullCollection)
    {
    }

    /// <summary>
    /// Tells the evaluator, before the next <see cref="Evaluate"/>, how much sooner than the signal's own value the limit may
    /// end the process (<see cref="MemoryBudget.SlackBytes"/>: the GC's heap hard limit caps the commit, which runs ahead of
    /// the heap's size and grows a region at a time); the earliest end of the time-to-limit range counts it.
    /// </summary>
    /// <param name="bytes">The slack, ≥ 0.</param>
    void SetLimitSlack(double bytes)
    {
    }

    /// <summary>
    /// Hands a memory signal's evaluator, once at the first sample after a restart, the earlier lifetimes' coarse floors: the
    /// signal's lowest reading per clock hour over the 3 days before this start (<see cref="LifetimeStore.HourlyRetention"/>),
    /// oldest first, each tagged with its lifetime (a restart resets the level, so floors of different lifetimes are not one
    /// series). The detector fits their daily cycle (<see cref="Detection.PriorCycle"/>) and takes it out of the current life's
    /// floors, so that day one of a restarted instance's daily cycle is judged with the days before it; the default ignores them.
    /// </summary>
    /// <param name="floors">The earlier lifetimes' hourly floors.</param>
    void SeedPriorFloors(IReadOnlyList<PriorFloor> floors)
    {
    }

    /// <summary>
    /// Gets a value indicating whether the last evaluation found a rise that would be urgent once a full collection read
    /// after its onset confirms it (see <see cref="SetFullCollection"/>).
    /// </summary>
    bool AwaitsFullCollection => false;

    /// <summary>
    /// Gets whether the last evaluation found a material rise that is live (for a managed signal: confirmed by full
    /// collections), or <see langword="null"/> when the evaluator cannot tell (the verdict's rate interval decides then).
    /// </summary>
    bool? RisesLive => null;
}
